import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readResults, renderComment } from "../../tools/ci/plan-comment";
import { phaseDepth, PHASES } from "../../tools/ci/rounds";
import { environmentStacks } from "../../tools/ci/stack-order";
import {
  main,
  plannedOutputChanges,
  readiness,
  readKnowledge,
  remoteStateReads,
  stateAddress,
  stateOutputs,
  WAITING_EXIT,
  type StackCode,
  type StackKnowledge,
} from "../../tools/ci/waits-for";
import { readManifest, type Manifest } from "../../tools/synth/manifest";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/**
 * The waits-for decision on the synthesized app's real stacks (their
 * terraform_remote_state data sources and the outputs they read), fed with
 * fake upstream knowledge: no state, an applied state's output names, this
 * run's planned output changes.
 */
const manifest: Manifest = readManifest(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));
const code = (id: string): StackCode => {
  const s = manifest.stacks.find((x) => x.id === id);
  if (!s) throw new Error(`no stack ${id}`);
  return { id, dependencies: s.dependencies, json: JSON.parse(fs.readFileSync(s.stackFile, "utf8")) };
};
const declared = (id: string) => Object.keys(code(id).json.output ?? {}).sort();
const ciStacks = (env: string) => environmentStacks(manifest, env).stacks;

/** The decision for `id` given what is known of each stack (missing: the upstream is not CI's). */
function decide(id: string, known: Record<string, StackKnowledge>) {
  const me = code(id);
  const ci = new Set(ciStacks(me.id.slice(0, me.id.lastIndexOf("-"))));
  return readiness(me, me.dependencies.filter((d) => ci.has(d)).map((d) => ({ code: code(d), known: known[d] })));
}

const applied = (id: string, outputs = declared(id)): StackKnowledge => ({ stack: id, appliedOutputs: outputs });
const everyStackApplied = (env: string) => Object.fromEntries(ciStacks(env).map((id) => [id, applied(id)]));

describe("waits-for: what a stack reads", () => {
  test("each remote state a stack reads is an upstream's backend, and every output it reads is one the upstream declares", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      const backends = new Map(ciStacks(env).map((id) => [stateAddress(code(id).json.terraform.backend.s3), id]));
      for (const id of ciStacks(env)) {
        for (const r of remoteStateReads(code(id).json)) {
          const upstream = backends.get(r.address);
          expect({ id, address: r.address, upstream: upstream !== undefined }).toEqual({ id, address: r.address, upstream: true });
          expect(code(id).dependencies).toContain(upstream);
          expect(r.outputs.length).toBeGreaterThan(0);
          expect(r.outputs.filter((o) => !declared(upstream!).includes(o))).toEqual([]);
        }
      }
    }
  });

  test("the app reads the data, cluster and edge outputs it references, e.g. the cluster endpoint", () => {
    const reads = remoteStateReads(code("dev-app").json);
    expect(reads.map((r) => r.address).sort()).toEqual(["dev/cluster.tfstate", "dev/data.tfstate", "dev/edge.tfstate"].map((k) => `upskill-dev-tfstate-111111111111/${k}`));
    const cluster = reads.find((r) => r.address.endsWith("dev/cluster.tfstate"))!;
    expect(cluster.outputs.some((o) => /eks_cluster.*endpoint$/.test(o))).toBe(true);
  });
});

describe("waits-for: the decision", () => {
  const env = "dev";

  test("everything applied and nothing changing: every stack is ready", () => {
    const known = everyStackApplied(env);
    for (const id of ciStacks(env)) expect({ id, ...decide(id, known) }).toEqual({ id, ready: true });
  });

  test("an upstream not applied yet: the stack waits for it, and stacks downstream name their nearest waiting upstream", () => {
    const known: Record<string, StackKnowledge> = { "dev-network": { stack: "dev-network", appliedOutputs: null } };
    expect(decide("dev-network", known)).toEqual({ ready: true });
    const data = decide("dev-data", known);
    expect(data).toEqual({ ready: false, waitsFor: "dev-network", reason: "not applied yet" });
    known["dev-data"] = { stack: "dev-data", appliedOutputs: null, waiting: { for: "dev-network", reason: "not applied yet" } };
    expect(decide("dev-cluster", known)).toEqual({ ready: false, waitsFor: "dev-data", reason: "dev-data waits for dev-network (not applied yet)" });
  });

  test("a dependency without remote state still orders: the app waits for an unapplied platform", () => {
    expect(remoteStateReads(code("dev-app").json).some((r) => r.address.endsWith("/platform.tfstate"))).toBe(false);
    const known = { ...everyStackApplied(env), "dev-platform": { stack: "dev-platform", appliedOutputs: null } };
    expect(decide("dev-app", known)).toEqual({ ready: false, waitsFor: "dev-platform", reason: "not applied yet" });
  });

  test("an output the upstream's change adds (declared in its code, not in its state): the reader waits, naming the output", () => {
    const [read] = remoteStateReads(code("dev-data").json).flatMap((r) => r.outputs);
    const known = { ...everyStackApplied(env), "dev-network": applied("dev-network", declared("dev-network").filter((o) => o !== read)) };
    expect(decide("dev-data", known)).toEqual({ ready: false, waitsFor: "dev-network", reason: `reads output ${read}, which this change adds` });
    // Stacks that do not read it plan as usual.
    const readers = ciStacks(env).filter((id) => remoteStateReads(code(id).json).some((r) => r.address.endsWith("/network.tfstate") && r.outputs.includes(read!)));
    for (const id of ciStacks(env).filter((s) => !readers.includes(s))) expect({ id, ...decide(id, known) }).toEqual({ id, ready: true });
  });

  test("an output this run's plan of the upstream changes or removes: the reader waits for the new value", () => {
    const reads = remoteStateReads(code("dev-app").json).find((r) => r.address.endsWith("/data.tfstate"))!.outputs;
    expect(reads.length).toBeGreaterThan(1);
    const known = { ...everyStackApplied(env), "dev-data": { ...applied("dev-data"), plannedOutputChanges: { [reads[0]!]: "update" as const, unrelated: "create" as const } } };
    expect(decide("dev-app", known)).toEqual({ ready: false, waitsFor: "dev-data", reason: `reads output ${reads[0]}, which this change changes` });
    const removed = { ...known, "dev-data": { ...applied("dev-data"), plannedOutputChanges: { [reads[0]!]: "delete" as const, [reads[1]!]: "delete" as const } } };
    expect(decide("dev-app", removed)).toEqual({ ready: false, waitsFor: "dev-data", reason: `reads outputs ${[reads[0], reads[1]].sort().join(", ")}, which this change removes` });
  });

  test("an output neither applied nor declared upstream is not a wait: Terraform's plan reports the real error", () => {
    const stack: StackCode = { ...code("dev-data"), json: { ...code("dev-data").json, locals: { x: "${data.terraform_remote_state.cross-stack-reference-input-dev-network.outputs.no_such_output}" } } };
    expect(readiness(stack, [{ code: code("dev-network"), known: applied("dev-network") }])).toEqual({ ready: true });
  });

  test("an upstream this run could not read or plan: the stack waits for it (its own row shows the failure)", () => {
    expect(decide("dev-data", { "dev-network": { stack: "dev-network", failed: true } })).toEqual({ ready: false, waitsFor: "dev-network", reason: "dev-network could not be read or planned in this run" });
    // Failed after its state was read: the state is what the stack plans against.
    expect(decide("dev-data", { "dev-network": { ...applied("dev-network"), failed: true } })).toEqual({ ready: true });
  });

  test("an upstream nothing was recorded about is an error, not a guess", () => {
    expect(() => decide("dev-data", {})).toThrow("dev-data: nothing recorded about its upstream dev-network; record it first");
  });

  test.each(SHIPPED_ENVIRONMENTS)("a new environment (%s) deploys one dependency level per round, each phase in as many rounds as it is deep", (name) => {
    // Rounds as deploy-environment.yml runs them: in each phase, plan what is ready, apply it, repeat while something waits.
    const known: Record<string, StackKnowledge> = Object.fromEntries(ciStacks(name).map((id) => [id, { stack: id, appliedOutputs: null }]));
    const phaseOf = (id: string) => (Object.keys(code(id).json.provider ?? {}).some((p) => p === "kubernetes" || p === "helm") ? "cluster-api" : "hosted");
    for (const phase of PHASES) {
      const stacks = ciStacks(name).filter((id) => phaseOf(id) === phase);
      let rounds = 0;
      let firstRound: string[] = [];
      while (stacks.some((id) => known[id]!.appliedOutputs === null)) {
        rounds++;
        expect(rounds).toBeLessThanOrEqual(stacks.length);
        const ready: string[] = [];
        const round = { ...known };
        for (const id of stacks.filter((s) => known[s]!.appliedOutputs === null)) {
          const d = decide(id, round);
          if (d.ready) ready.push(id);
          else round[id] = { ...round[id]!, waiting: { for: d.waitsFor, reason: d.reason } };
        }
        expect(ready.length).toBeGreaterThan(0);
        if (rounds === 1) firstRound = ready;
        for (const id of ready) known[id] = applied(id);
      }
      expect({ phase, rounds }).toEqual({ phase, rounds: phaseDepth(manifest, name, phase) });
      expect(firstRound).toEqual(phase === "hosted" ? [`${name}-network`] : [`${name}-platform`]);
    }
  });
});

describe("waits-for: recorded facts", () => {
  test("a state pull gives output names only; an empty pull means never applied", () => {
    expect(stateOutputs("")).toBeNull();
    expect(stateOutputs('{"version":4,"serial":3,"outputs":{"b":{"value":"secret","type":"string","sensitive":true},"a":{"value":1,"type":"number"}}}')).toEqual(["a", "b"]);
    expect(() => stateOutputs('{"outputs":{}}')).toThrow("not a Terraform state");
  });

  test("a plan's output changes: create, update (a replace too), delete; no-ops left out", () => {
    expect(
      plannedOutputChanges({
        output_changes: {
          a: { actions: ["create"] },
          b: { actions: ["update"] },
          c: { actions: ["delete"] },
          d: { actions: ["no-op"] },
          e: { actions: ["delete", "create"] },
        },
      }),
    ).toEqual({ a: "create", b: "update", c: "delete", e: "update" });
  });

  test("command: record (state from stdin, plan file), then check writes the waiting summary the comment renders", () => {
    const known = fs.mkdtempSync(path.join(os.tmpdir(), "known-"));
    const out: string[] = [];
    const err: string[] = [];
    const io = (stdin = "") => ({ out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdin: () => stdin });
    const manifestFile = path.join(manifest.dir, "manifest.json");
    const added = remoteStateReads(code("dev-data").json).find((r) => r.address.endsWith("/network.tfstate"))!.outputs[0]!;
    const kept = declared("dev-network").filter((o) => o !== added);
    const outputs = Object.fromEntries(kept.map((o) => [o, { value: "v", type: "string" }]));
    expect(main(["record", "--stack", "dev-network", "--known", known, "--state", "-"], io(JSON.stringify({ version: 4, outputs })))).toBe(0);
    const plan = path.join(known, "network-plan.json");
    fs.writeFileSync(plan, JSON.stringify({ format_version: "1.2", output_changes: { [added]: { actions: ["create"] } } }));
    expect(main(["record", "--stack", "dev-network", "--known", known, "--plan", plan], io())).toBe(0);
    expect(readKnowledge(known, "dev-network")).toEqual({ stack: "dev-network", appliedOutputs: kept, plannedOutputChanges: { [added]: "create" } });
    expect(JSON.stringify(readKnowledge(known, "dev-network"))).not.toContain('"v"'); // names only, never values

    const summaries = fs.mkdtempSync(path.join(os.tmpdir(), "summaries-"));
    const check = (stack: string) => main(["check", "--stack", stack, "--known", known, "--manifest", manifestFile, "--summary", path.join(summaries, `${stack}.json`)], io());
    expect(check("dev-network")).toBe(0);
    expect(out.pop()).toBe("ready");
    expect(fs.existsSync(path.join(summaries, "dev-network.json"))).toBe(false); // a ready stack gets its summary from its plan
    expect(check("dev-data")).toBe(WAITING_EXIT);
    expect(out.pop()).toBe(`waits for dev-network: reads output ${added}, which this change adds`);
    expect(readKnowledge(known, "dev-data")?.waiting?.for).toBe("dev-network");
    expect(check("dev-cluster")).toBe(WAITING_EXIT);
    expect(out.pop()).toMatch(/^waits for dev-data: dev-data waits for dev-network \(/);

    const results = readResults(summaries);
    expect(results.get("dev-cluster")).toMatchObject({ status: "waiting", waitsFor: "dev-data" });
    const md = renderComment({ environments: [{ name: "dev", stacks: ["dev-network", "dev-data", "dev-cluster"], skipped: [] }], results, allowDataLoss: false });
    expect(md).toMatch(/\| dev-cluster \| – \| – \| – \| – \| :hourglass: waits for dev-data: dev-data waits for dev-network \(/);
    expect(md).toContain("Waiting, not planned yet: ");
    expect(md).not.toContain("Not planned: dev-cluster");

    expect(main(["check", "--stack", "dev-nope", "--known", known, "--manifest", manifestFile], io())).toBe(1);
    expect(err.pop()).toContain("no stack dev-nope");
    expect(main(["check", "--known", known], io())).toBe(2);
  });
});
