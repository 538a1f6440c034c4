import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHARTS_DIR, chartDigest, chartNames, currentRecord, readDigests, recordProblem } from "../../tools/chart-digest/digest";

/**
 * Helm and the helm_release record a chart by its version: a changed chart
 * under an old version would be two charts with one name. charts/digests.json
 * holds each chart's version with the digest of its content; this fails when
 * the content changed and the version did not (`npm run chart:digest`
 * records a bumped chart).
 */
describe("chart versions follow chart content", () => {
  test.each(chartNames())("charts/%s: its version and content are the ones recorded in charts/digests.json", (name) => {
    expect(recordProblem(name, readDigests()[name], currentRecord(path.join(CHARTS_DIR, name)))).toBeUndefined();
  });

  test("upskill-service is recorded", () => {
    expect(chartNames()).toContain("upskill-service");
  });
});

describe("recordProblem catches a change without a bump", () => {
  const copy = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-chart-"));
    fs.cpSync(path.join(CHARTS_DIR, "upskill-service"), dir, { recursive: true });
    return dir;
  };
  const setVersion = (dir: string, v: string) => {
    const file = path.join(dir, "Chart.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^version:.*$/m, `version: ${v}`));
  };
  const recorded = () => currentRecord(path.join(CHARTS_DIR, "upskill-service"));

  test("a template changed, version kept: refused, saying to bump it", () => {
    const dir = copy();
    fs.appendFileSync(path.join(dir, "templates", "service.yaml"), "# changed\n");
    expect(recordProblem("upskill-service", recorded(), currentRecord(dir))).toBe(
      `charts/upskill-service changed but charts/upskill-service/Chart.yaml still says version ${recorded().version}: bump the version (Helm and Terraform tell releases apart by it), then run \`npm run chart:digest\``,
    );
  });

  test("values.yaml or the schema changed, version kept: refused too", () => {
    for (const file of ["values.yaml", "values.schema.json"]) {
      const dir = copy();
      fs.appendFileSync(path.join(dir, file), "\n");
      expect(recordProblem("upskill-service", recorded(), currentRecord(dir))).toMatch(/changed but .* still says version/);
    }
  });

  test("a bump alone keeps the digest; bumped and changed asks for the record; a lower version is refused", () => {
    const dir = copy();
    setVersion(dir, "1.0.1");
    expect(chartDigest(dir)).toBe(recorded().sha256);
    expect(recordProblem("upskill-service", recorded(), currentRecord(dir))).toMatch(/version 1\.0\.1 but the content is that of/);
    fs.appendFileSync(path.join(dir, "templates", "service.yaml"), "# changed\n");
    expect(recordProblem("upskill-service", recorded(), currentRecord(dir))).toMatch(/is at version 1\.0\.1 but charts\/digests\.json records .*: run `npm run chart:digest`/);
    expect(recordProblem("upskill-service", { version: "2.0.0", sha256: "x" }, currentRecord(dir))).toBe("charts/upskill-service/Chart.yaml: version 1.0.1 must be greater than the recorded 2.0.0");
  });

  test("after the record is refreshed it passes", () => {
    const dir = copy();
    setVersion(dir, "1.1.0");
    fs.appendFileSync(path.join(dir, "templates", "service.yaml"), "# changed\n");
    expect(recordProblem("upskill-service", currentRecord(dir), currentRecord(dir))).toBeUndefined();
  });
});

describe("the chart survives CI's artifacts", () => {
  test("no hidden file in charts/upskill-service: actions/upload-artifact leaves hidden files out of cdktf.out, and plan/apply run on that artifact", () => {
    const hidden: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.name.startsWith(".")) hidden.push(path.relative(CHARTS_DIR, path.join(d, e.name)));
        if (e.isDirectory()) walk(path.join(d, e.name));
      }
    };
    walk(path.join(CHARTS_DIR, "upskill-service"));
    expect(hidden).toEqual([]);
  });
});
