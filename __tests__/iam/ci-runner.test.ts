import { ENVIRONMENTS, allow, deny, factsOf, failuresOf, inventoryOf } from "./support";

/**
 * The CI runners (cluster layer, modules/ci-runner) in the IAM simulator, from the CI roles'
 * side: the deploy role can build them and hand them their role, the plan role can plan them
 * (read the project and find the connection) but not run or change them. The runner role's own
 * scenarios are in scenarios/workloads.ts (`runner-codebuild`).
 */
describe.each(ENVIRONMENTS)("IAM simulation: CI runners of %s", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);
  const project = `arn:aws:codebuild:${f.region}:${f.account}:project/${f.prefix}-runner`;
  const deploy = { role: f.deployRole };
  const plan = { role: f.planRole };

  test("the deploy role creates the project and its webhook, uses the connection and passes the runner role to CodeBuild only", async () => {
    const scenarios = [
      allow("create the runner project", deploy, { action: "codebuild:CreateProject", resource: project }),
      allow("create its webhook", deploy, { action: "codebuild:CreateWebhook", resource: project }),
      allow("use the GitHub connection for the project's source", deploy, { action: "codeconnections:UseConnection", resource: f.runnerConnection }),
      allow("pass the connection to CodeBuild", deploy, { action: "codeconnections:PassConnection", resource: f.runnerConnection, context: { "codeconnections:PassedToService": "codebuild.amazonaws.com" } }),
      allow("pass the runner role to CodeBuild", deploy, { action: "iam:PassRole", resource: f.roleArn("runner-codebuild"), context: { "iam:PassedToService": "codebuild.amazonaws.com" } }),
      deny("pass the runner role to EC2", deploy, { action: "iam:PassRole", resource: f.roleArn("runner-codebuild"), context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
      deny("pass a CI role to CodeBuild (a build with the deploy role's powers)", deploy, { action: "iam:PassRole", resource: f.roleArn("ci-deploy"), context: { "iam:PassedToService": "codebuild.amazonaws.com" } }),
      deny("put a policy on the runner role without the boundary", deploy, { action: "iam:PutRolePolicy", resource: f.roleArn("runner-codebuild"), context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" } }),
    ];
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });

  test("the plan role reads the project and finds the connection, and can neither run nor change them", async () => {
    const scenarios = [
      allow("read the project", plan, { action: "codebuild:BatchGetProjects", resource: project }),
      allow("find the connection by name", plan, { action: "codestar-connections:ListConnections", resource: "*" }),
      allow("read the connection", plan, { action: "codeconnections:GetConnection", resource: f.runnerConnection }),
      deny("start a runner build", plan, { action: "codebuild:StartBuild", resource: project }),
      deny("change the project", plan, { action: "codebuild:UpdateProject", resource: project }),
      deny("change the webhook", plan, { action: "codebuild:UpdateWebhook", resource: project }),
      deny("get a token of the connection", plan, { action: "codeconnections:GetConnectionToken", resource: f.runnerConnection }),
    ];
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });
});
