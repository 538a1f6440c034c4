// `npm run chart:digest`: records each chart's version and content digest in charts/digests.json
// after a version bump. Refuses to record a changed chart whose version was not bumped.
// `-- --check` only reports (exit 1 on any problem), as the test does.
import * as fs from "node:fs";
import * as path from "node:path";
import { CHARTS_DIR, chartNames, currentRecord, DIGESTS_FILE, readDigests, recordProblem, versionGreater, type DigestsFile } from "./digest";

const check = process.argv.includes("--check");
const recorded = readDigests();
const next: DigestsFile = {};
const problems: string[] = [];
for (const name of chartNames()) {
  const current = currentRecord(path.join(CHARTS_DIR, name));
  const old = recorded[name];
  const problem = recordProblem(name, old, current);
  if (check) {
    if (problem) problems.push(problem);
  } else if (old && old.sha256 !== current.sha256 && !versionGreater(current.version, old.version)) {
    problems.push(`charts/${name} changed: raise the version in charts/${name}/Chart.yaml above ${old.version} first`);
  }
  next[name] = current;
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
if (!check) {
  fs.writeFileSync(DIGESTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`recorded ${Object.entries(next).map(([n, r]) => `${n} ${r.version}`).join(", ")} in ${path.relative(process.cwd(), DIGESTS_FILE)}`);
} else console.log("every chart's version matches its recorded content");
