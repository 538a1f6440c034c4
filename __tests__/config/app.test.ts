import { problemsAfter } from "../support/config-files";

describe("config: app layer", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  // Bad input named by the issue.
  test("an app service with an unknown node class", () => {
    expect(problemsAfter("dev", [["app.services[2].nodeClass", "gpu"]])).toEqual(['config/dev.yaml: app.services[2].nodeClass: "gpu" — must be a node class: core or spot']);
  });

  test("a chart version: gone, every service installs charts/upskill-service at its Chart.yaml version", () => {
    expect(problemsAfter("prod", [["app.services[0].chartVersion", "1.0.0"]])).toEqual([
      'config/prod.yaml: app.services[0].chartVersion: "1.0.0" — is no longer set here: every service installs charts/upskill-service at the version in its Chart.yaml (bump it there, then `npm run chart:digest`)',
    ]);
  });

  // Further settings of the schema.
  test("an image tag Docker would refuse", () => {
    expect(problemsAfter("dev", [["app.services[0].imageTag", "1.0.0:latest"]])).toEqual([
      'config/dev.yaml: app.services[0].imageTag: "1.0.0:latest" — must be a container image tag',
    ]);
  });

  test("keeping no images", () => {
    expect(problemsAfter("dev", [["app.keepImages", 0]])).toEqual(["config/dev.yaml: app.keepImages: 0 — Too small: expected number to be >=1"]);
  });

  // Semantic rules (config/rules/app.ts).
  test("servicePoliciesWithinBoundary: no extra policy that grants IAM, state or whole-service data; AWS-managed only", () => {
    expect(
      problemsAfter("prod", [
        ["app.services[0].managedPolicyArns", ["arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::333333333333:policy/mine"]],
        ["app.services[1].managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"]],
      ]),
    ).toEqual([
      'config/prod.yaml: app.services[0].managedPolicyArns[0]: "arn:aws:iam::aws:policy/IAMFullAccess" — is refused: it grants IAM (roles, policies, keys): the environment\'s permissions boundary denies it',
      'config/prod.yaml: app.services[0].managedPolicyArns[1]: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" — is refused: it reaches Terraform state or other services\' data (S3, DynamoDB, KMS, Secrets Manager): use the service\'s own fields (uploadsAccess, database)',
      'config/prod.yaml: app.services[0].managedPolicyArns[2]: "arn:aws:iam::333333333333:policy/mine" — must be an AWS-managed policy ARN (arn:aws:iam::aws:policy/<name>); the service\'s own permissions come from uploadsAccess and database',
      'config/prod.yaml: app.services[1].managedPolicyArns[0]: "arn:aws:iam::aws:policy/AdministratorAccess" — is refused: it grants administration',
    ]);
    expect(problemsAfter("prod", [["app.services[0].managedPolicyArns", ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]]])).toEqual([]);
  });

  test("appServiceNamesUnique: two services may not share a name", () => {
    expect(problemsAfter("staging", [["app.services[2].name", "api"]])).toContain('config/staging.yaml: app.services[2].name: "api" — is used by another service');
  });

  test("spotClassHasSpotGroup: a spot service needs a SPOT node group labelled spot", () => {
    expect(problemsAfter("prod", [["cluster.nodeGroups[1]", undefined]])).toEqual([
      'config/prod.yaml: app.services[2].nodeClass: "spot" — needs a SPOT node group labelled upskill.io/node-class: spot in cluster.nodeGroups',
    ]);
    expect(problemsAfter("dev", [["cluster.nodeGroups[1].capacityType", "ON_DEMAND"]])).toEqual([
      'config/dev.yaml: app.services[1].nodeClass: "spot" — needs a SPOT node group labelled upskill.io/node-class: spot in cluster.nodeGroups',
      'config/dev.yaml: app.services[2].nodeClass: "spot" — needs a SPOT node group labelled upskill.io/node-class: spot in cluster.nodeGroups',
    ]);
  });

  test("a missing core group is reported once, by the platform rules, not again for each core service", () => {
    const problems = problemsAfter("dev", [["cluster.nodeGroups[0].labels", { team: "platform" }]]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^config\/dev\.yaml: cluster\.nodeGroups: .* labelled upskill\.io\/node-class: core/);
  });

  test("productionServedOnCore: in production a service with a port runs on core nodes", () => {
    expect(problemsAfter("prod", [["app.services[1].nodeClass", "spot"]])).toEqual([
      'config/prod.yaml: app.services[1].nodeClass: "spot" — must be core in a production environment for a service the load balancer reaches (it has a port)',
    ]);
    // Dev may serve from Spot (web is shipped so).
    expect(problemsAfter("dev", [["app.services[0].nodeClass", "spot"]])).toEqual([]);
  });

  test("servicePortOpen: a service port is one the nodes admit the load balancer on", () => {
    expect(problemsAfter("dev", [["app.services[1].port", 3000]])).toEqual([
      "config/dev.yaml: app.services[1].port: 3000 — must be one of network.appPorts (8080): the nodes admit the load balancer on those ports only",
    ]);
  });

  test("routesNeedPort: routes on a service without a port are refused", () => {
    expect(problemsAfter("dev", [["app.services[2].routes", { hosts: ["jobs"], paths: [] }]])).toEqual([
      'config/dev.yaml: app.services[2].routes: {"hosts":["jobs"],"paths":[]} — needs a port: the load balancer routes to the service\'s container port',
    ]);
  });

  test("appServiceNameLengths: the release fits Helm's 53 characters and the role IAM's 64", () => {
    const long = `w${"x".repeat(45)}`;
    expect(problemsAfter("dev", [["app.services[2].name", long]])).toEqual([
      `config/dev.yaml: app.services[2].name: "${long}" — gives the Helm release name upskill-${long} (54 characters); Helm allows 53`,
    ]);
    const project = "upskill-learning-platform-everyone";
    const name = "worker-of-many-queues-abc";
    expect(problemsAfter("dev", [["project", project], ["app.services[2].name", name]])).toContain(
      `config/dev.yaml: app.services[2].name: "${name}" — gives the workload role name ${project}-dev-app-${name} (${`${project}-dev-app-${name}`.length} characters); IAM allows 64`,
    );
  });
});
