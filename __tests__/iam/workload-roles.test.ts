import { ENVIRONMENTS, deny, factsOf, failuresOf, inventoryOf } from "./support";
import { WORKLOAD_SCENARIOS, boundaryDenials, scenariosFor } from "./scenarios/workloads";

/**
 * Every role of every layer but bootstrap, in the IAM simulator: the requests
 * its layer, add-on or service makes are allowed; escalation, other data, the
 * bootstrap resources and deletion of data are denied.
 */
describe.each(ENVIRONMENTS)("IAM simulation: layer roles of %s", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);
  const roles = inv.roles.filter((r) => !r.stack.endsWith("-bootstrap"));
  const suffix = (name: string) => name.slice(f.prefix.length + 1);

  test("every role has exactly one scenario set, with allowed and denied requests", () => {
    const problems = roles.flatMap((r) => {
      const sets = scenariosFor(WORKLOAD_SCENARIOS, suffix(r.name));
      if (sets.length !== 1) return [`${r.name}: ${sets.length} scenario sets (${sets.map(([p]) => p).join(", ")})`];
      const scenarios = sets[0]![1](f, suffix(r.name));
      const kinds = new Set(scenarios.filter((s) => "role" in s.caller).map((s) => s.expect));
      return kinds.size === 2 ? [] : [`${r.name}: needs both allowed and denied requests of its own`];
    });
    expect(problems).toEqual([]);
  });

  test("no role but the provisioning job's reads the database's master user secret", async () => {
    const scenarios = inv.roles
      .filter((r) => r.name !== `${f.prefix}-db-provisioner`)
      .map((r) => deny(`read the master user secret`, { role: r.name }, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }));
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });

  test.each(roles.map((r) => r.name))("%s", async (name) => {
    const sets = scenariosFor(WORKLOAD_SCENARIOS, suffix(name));
    const scenarios = [...sets.flatMap(([, build]) => build(f, suffix(name))), ...boundaryDenials(f, suffix(name))];
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });
});
