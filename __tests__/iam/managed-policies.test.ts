import { LAYER_MANAGED_POLICIES } from "../../modules/iam-managed-policies/layer-managed-policies";
import { synthesizedApp } from "../support/synthesized-app";
import { allow, deny, ENVIRONMENTS, factsOf, failuresOf, inventoryOf } from "./support";
import { boundaryArn } from "./scenarios/ci";

const AWS_MANAGED = /^arn:aws:iam::aws:policy\//;

/** The AWS managed policies the synthesized layers (not bootstrap, which an administrator applies) attach. */
function attachedByLayers(environment: string): string[] {
  const app = synthesizedApp();
  const arns = app.resources
    .filter((r) => r.stack.startsWith(`${environment}-`) && !r.stack.endsWith("-bootstrap"))
    .flatMap((r) => (r.type === "aws_iam_role_policy_attachment" ? [r.config.policy_arn] : r.type === "aws_iam_role" ? (r.config.managed_policy_arns ?? []) : []))
    .filter((a): a is string => typeof a === "string" && AWS_MANAGED.test(a));
  return [...new Set(arns)].sort();
}

describe.each(ENVIRONMENTS)("the CI deploy role may attach exactly the managed policies the layers of %s attach", (env) => {
  const inv = inventoryOf(env);
  const f = factsOf(inv);
  const bounded = { "iam:PermissionsBoundary": boundaryArn(f) };

  test("every AWS managed policy the layers attach is in LAYER_MANAGED_POLICIES (one source)", () => {
    const attached = attachedByLayers(env);
    expect(attached.length).toBeGreaterThan(5);
    expect(attached.length).toBe(LAYER_MANAGED_POLICIES.length); // and none listed that no layer attaches
    expect(attached.filter((a) => !LAYER_MANAGED_POLICIES.includes(a))).toEqual([]);
    expect(attached).toEqual(expect.arrayContaining(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]));
  });

  test("the IAM simulator allows the deploy role to attach each of them to a bounded role, and nothing wider", async () => {
    const me = { role: f.deployRole };
    const scenarios = [
      ...LAYER_MANAGED_POLICIES.map((arn) => allow(`attach ${arn}`, me, { action: "iam:AttachRolePolicy", resource: f.roleArn("some-layer-role"), context: { ...bounded, "iam:PolicyARN": arn } })),
      ...["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess", "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"].map((arn) =>
        deny(`attach ${arn}`, me, { action: "iam:AttachRolePolicy", resource: f.roleArn("some-layer-role"), context: { ...bounded, "iam:PolicyARN": arn } }),
      ),
    ];
    expect(await failuresOf(inv, scenarios)).toEqual([]);
  });
});
