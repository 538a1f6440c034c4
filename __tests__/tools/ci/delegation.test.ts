import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { Testing } from "cdktf";
import {
  checkDelegation,
  instruction,
  main,
  nameServersOf,
  parseDuration,
  terraformOutputs,
  waitForDelegation,
  zoneSpecOf,
  type Clock,
  type Deps,
  type NsLookup,
} from "../../../tools/ci/delegation";
import { NetworkStack } from "../../../stacks/network-stack";
import { shippedEnvironment, testApp } from "../../support/fixtures";
import { describeWithTerraform } from "../../support/terraform";

const NS = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"];
const outputs = { "zone-name": { value: "dev.upskill.example.com" }, "zone-id": { value: "Z0DEV" }, "name-servers": { value: [...NS].reverse() } };

/** The synthesized network stack of a shipped environment (optionally with a parent zone in its account). */
function networkJson(env: string, parentZone?: string): any {
  const base = shippedEnvironment(env);
  const environment = parentZone ? { ...base, domain: { ...base.domain, parentZone } } : base;
  return JSON.parse(Testing.synth(new NetworkStack(testApp(), { environment })));
}

/** A clock that only moves when the tool sleeps: no timed test. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}
const nxdomain = (): never => {
  throw Object.assign(new Error("queryNs ENOTFOUND"), { code: "ENOTFOUND" });
};

describe("delegation: reading the zone and its name servers", () => {
  test("from the synthesized network stacks: dev creates its zone (parent elsewhere), staging and prod use existing ones", () => {
    expect(zoneSpecOf(networkJson("dev"))).toEqual({ zone: "dev.upskill.example.com", mode: "create", parentZone: "upskill.example.com", delegatedHere: false });
    expect(zoneSpecOf(networkJson("staging"))).toEqual({ zone: "staging.upskill.example.com", mode: "existing", parentZone: "upskill.example.com", delegatedHere: false });
    expect(zoneSpecOf(networkJson("prod"))).toMatchObject({ zone: "upskill.example.com", mode: "existing", parentZone: "example.com" });
    expect(zoneSpecOf(networkJson("dev", "upskill.example.com"))).toEqual({ zone: "dev.upskill.example.com", mode: "create", parentZone: "upskill.example.com", delegatedHere: true });
    expect(() => zoneSpecOf({ output: {} }, "x/cdk.tf.json")).toThrow(/x\/cdk\.tf\.json: no "zone-name" output/);
  });

  test("name servers from `terraform output -json`, normalized and sorted", () => {
    expect(nameServersOf({ ...outputs, "name-servers": { value: ["NS-2.awsdns-02.co.uk.", "ns-1.awsdns-01.org"] } })).toEqual({ nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"], zoneId: "Z0DEV" });
    expect(() => nameServersOf({})).toThrow(/no "name-servers" output with values; apply the network layer first/);
  });

  test("durations", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("45s")).toBe(45_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(() => parseDuration("30")).toThrow(/not a duration such as 90s, 30m or 1h/);
  });
});

describe("delegation: checking public DNS", () => {
  test("delegated when public DNS answers exactly the zone's name servers (case, order and trailing dots aside)", async () => {
    const lookup: NsLookup = async () => NS.map((n) => `${n.toUpperCase()}.`).reverse();
    expect(await checkDelegation("dev.upskill.example.com", NS, lookup)).toEqual({ status: "delegated" });
  });

  test("not delegated: NXDOMAIN, no NS records, or another zone's name servers", async () => {
    expect(await checkDelegation("z.example.com", NS, async () => nxdomain())).toEqual({ status: "none", reason: "the name does not exist in public DNS (NXDOMAIN)" });
    const nodata = async (): Promise<string[]> => {
      throw Object.assign(new Error("x"), { code: "ENODATA" });
    };
    expect(await checkDelegation("z.example.com", NS, nodata)).toEqual({ status: "none", reason: "public DNS has no NS records for it" });
    expect(await checkDelegation("z.example.com", NS, async () => ["ns-9.awsdns-09.org", ...NS.slice(1)])).toEqual({
      status: "elsewhere",
      found: ["ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net", "ns-9.awsdns-09.org"],
    });
  });

  test("the instruction names the zone, its four name servers and the parent zone, per case", () => {
    const created = zoneSpecOf(networkJson("dev"));
    expect(instruction(created, NS)).toBe(
      `Delegate dev.upskill.example.com to ${NS.join(", ")} in the parent zone upskill.example.com; the edge stack waits for it (ACM validates by DNS)`,
    );
    expect(instruction(zoneSpecOf(networkJson("staging")), NS, "Z0STG")).toMatch(
      /^staging\.upskill\.example\.com exists in this account \(hosted zone Z0STG\) but public DNS does not delegate it to its name servers: set the NS records of staging\.upskill\.example\.com in the parent zone upskill\.example\.com to ns-1/,
    );
    expect(instruction(zoneSpecOf(networkJson("dev", "upskill.example.com")), NS)).toMatch(/^The network layer wrote the NS delegation of dev\.upskill\.example\.com .* in upskill\.example\.com, but public DNS does not show it yet/);
  });
});

describe("delegation: waiting", () => {
  const spec = { zone: "dev.upskill.example.com", mode: "create" as const, parentZone: "upskill.example.com", delegatedHere: false };

  test("polls until the delegation appears, tells once what to do, then notices success", async () => {
    const clock = fakeClock();
    const answers: (() => Promise<string[]>)[] = [async () => nxdomain(), async () => nxdomain(), async () => NS];
    const lines: string[] = [];
    const code = await waitForDelegation({ spec, expected: NS, lookup: () => answers.shift()!(), timeoutMs: 1_800_000, intervalMs: 30_000, clock, out: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(clock.slept).toEqual([30_000, 30_000]);
    expect(lines.filter((l) => l.startsWith("::notice::Delegate"))).toEqual([`::notice::Delegate dev.upskill.example.com to ${NS.join(", ")} in the parent zone upskill.example.com; the edge stack waits for it (ACM validates by DNS)`]);
    expect(lines[1]).toBe("waiting for the delegation of dev.upskill.example.com: the name does not exist in public DNS (NXDOMAIN) (0s of 30m)");
    expect(lines.at(-1)).toBe(`::notice::dev.upskill.example.com is delegated to ${NS.join(", ")}: the edge stack's certificates can validate`);
  });

  test("gives up at the timeout with an ::error:: that says what to delegate where", async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const code = await waitForDelegation({ spec, expected: NS, lookup: async () => ["ns-1.other.net"], timeoutMs: 60_000, intervalMs: 25_000, clock, out: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(clock.slept).toEqual([25_000, 25_000, 10_000]);
    expect(lines.at(-1)).toBe(
      `::error::Delegate dev.upskill.example.com to ${NS.join(", ")} in the parent zone upskill.example.com; the edge stack waits for it (ACM validates by DNS) (gave up after 1m: public DNS answers ns-1.other.net)`,
    );
  });
});

describe("delegation: the CLI", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delegation-"));
  const stackDir = path.join(dir, "stacks", "dev-network");
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(networkJson("dev")));
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: { "dev-network": { synthesizedStackPath: "stacks/dev-network/cdk.tf.json", workingDirectory: "stacks/dev-network" } } }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], lookup: NsLookup, overrides: Partial<Deps> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const dirs: string[] = [];
    const resolversSeen: string[][] = [];
    const deps: Deps = {
      readFile: (f) => fs.readFileSync(f, "utf8"),
      terraformOutputs: (d) => (dirs.push(d), JSON.stringify(outputs)),
      lookup: (r) => (resolversSeen.push([...r]), lookup),
      clock: fakeClock(),
      ...overrides,
    };
    const code = await main(["--manifest", path.join(dir, "manifest.json"), ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
    return { code, out, err, dirs, resolversSeen };
  };

  test("wait <env>: reads the network stack's outputs in its working directory and checks public DNS", async () => {
    const r = await run(["wait", "dev"], async () => NS);
    expect(r.code).toBe(0);
    expect(r.dirs).toEqual([stackDir]);
    expect(r.resolversSeen).toEqual([["1.1.1.1", "8.8.8.8"]]);
    expect(r.out).toEqual([`::notice::dev.upskill.example.com is delegated to ${NS.join(", ")}: the edge stack's certificates can validate`]);
  });

  test("--timeout, --interval, --resolvers and --outputs", async () => {
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, JSON.stringify(outputs));
    const r = await run(["wait", "dev", "--timeout", "2m", "--interval", "1m", "--resolvers", "9.9.9.9", "--outputs", file], async () => nxdomain());
    expect(r.code).toBe(1);
    expect(r.dirs).toEqual([]);
    expect(r.resolversSeen).toEqual([["9.9.9.9"]]);
    expect(r.out.at(-1)).toMatch(/^::error::Delegate dev\.upskill\.example\.com to .* \(gave up after 2m: the name does not exist in public DNS \(NXDOMAIN\)\)$/);
  });

  test("bad usage exits 2; an environment without a network stack or outputs is an ::error::", async () => {
    expect((await run(["wait"], async () => NS)).code).toBe(2);
    expect((await run(["wait", "dev", "--timeout", "soon"], async () => NS)).err[0]).toMatch(/"soon" is not a duration/);
    const missing = await run(["wait", "qa"], async () => NS);
    expect([missing.code, missing.out]).toEqual([2, [`::error::delegation: no stack qa-network in ${path.join(dir, "manifest.json")}`]]);
    const unapplied = await run(["wait", "dev"], async () => NS, { terraformOutputs: () => "{}" });
    expect(unapplied.out).toEqual(['::error::delegation: the network stack has no "name-servers" output with values; apply the network layer first']);
  });
});

describeWithTerraform("delegation: the outputs as Terraform core writes them", () => {
  test("`terraform output -json` of a state holding the network stack's three outputs is what the tool reads", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delegation-tf-"));
    try {
      // The network stack's outputs, with the values a created zone has after apply.
      fs.writeFileSync(
        path.join(dir, "main.tf.json"),
        JSON.stringify({ output: { "zone-name": { value: "dev.upskill.example.com" }, "zone-id": { value: "Z0DEV" }, "name-servers": { value: [...NS].reverse() } } }),
      );
      const env = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };
      expect(spawnSync("terraform", ["init", "-input=false"], { cwd: dir, env }).status).toBe(0);
      expect(spawnSync("terraform", ["apply", "-auto-approve", "-input=false"], { cwd: dir, env }).status).toBe(0);
      expect(nameServersOf(JSON.parse(terraformOutputs(dir, env)))).toEqual({ nameServers: NS, zoneId: "Z0DEV" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
