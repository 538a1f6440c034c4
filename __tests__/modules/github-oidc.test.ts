import { Testing } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { GithubOidcProvider } from "../../modules/github-oidc/github-oidc-provider";
import { GithubCiRoles, SAVED_PLANS_PREFIX, type GithubCiRolesProps } from "../../modules/github-oidc/ci-roles";
import { parseSynth, resourcesOf, type SynthJson } from "../support/fixtures";

const PROPS: GithubCiRolesProps = {
  oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
  repository: "upskill-learning/platform",
  deployBranches: ["main"],
  deployEnvironments: ["dev"],
  namePrefix: "upskill-dev",
  accountId: "111111111111",
  state: {
    bucketArn: "arn:aws:s3:::upskill-dev-tfstate",
    bucketName: "upskill-dev-tfstate",
    lockTableArn: "arn:aws:dynamodb:eu-west-1:111111111111:table/upskill-dev-tflock",
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/state",
  },
  boundaryArn: "arn:aws:iam::111111111111:policy/upskill-dev-workload-boundary",
  statePaths: ["dev/network.tfstate", "dev/data.tfstate"],
  region: "eu-west-1",
};

function synthRoles(props: Partial<GithubCiRolesProps> = {}): SynthJson {
  return parseSynth(Testing.synthScope((scope) => void new GithubCiRoles(scope, "ci", { ...PROPS, ...props })));
}

function role(json: SynthJson, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
}

function trust(json: SynthJson, name: string): any {
  return JSON.parse(role(json, name).assume_role_policy).Statement;
}

function inlinePolicy(json: SynthJson, policyName: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === policyName);
  if (!found) throw new Error(`no inline policy ${policyName}`);
  return Object.fromEntries(JSON.parse(found.policy).Statement.map((s: any) => [s.Sid, s]));
}

function attachments(json: SynthJson): { role: string; policy_arn: string }[] {
  return Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")) as any;
}

describe("GithubOidcProvider", () => {
  test("trusts GitHub's issuer for the sts.amazonaws.com audience", () => {
    const synth = Testing.synthScope((scope) => void new GithubOidcProvider(scope, "github"));
    expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });
});

describe("GithubCiRoles", () => {
  const json = synthRoles();

  test("the plan role trusts only pull requests and the deploy branches of the repository, audience sts.amazonaws.com", () => {
    expect(trust(json, "upskill-dev-ci-plan")).toEqual([
      {
        Sid: "GitHubActions",
        Effect: "Allow",
        Principal: { Federated: PROPS.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: { "token.actions.githubusercontent.com:sub": ["repo:upskill-learning/platform:pull_request", "repo:upskill-learning/platform:ref:refs/heads/main"] },
        },
      },
    ]);
  });

  test("the deploy role trusts only the configured GitHub environments, never a branch", () => {
    const [statement] = trust(json, "upskill-dev-ci-deploy");
    expect(statement.Condition).toEqual({
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
      StringLike: { "token.actions.githubusercontent.com:sub": ["repo:upskill-learning/platform:environment:dev"] },
    });
    const more = synthRoles({ deployBranches: ["main", "release/*"], deployEnvironments: ["dev", "dev-eu"] });
    expect(trust(more, "upskill-dev-ci-deploy")[0].Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:upskill-learning/platform:environment:dev",
      "repo:upskill-learning/platform:environment:dev-eu",
    ]);
    expect(trust(more, "upskill-dev-ci-plan")[0].Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:upskill-learning/platform:pull_request",
      "repo:upskill-learning/platform:ref:refs/heads/main",
      "repo:upskill-learning/platform:ref:refs/heads/release/*",
    ]);
  });

  test("saved plans: the plan role writes and never reads them, the deploy role never writes one anywhere", () => {
    const plan = inlinePolicy(json, "terraform-state-read-and-lock");
    expect(plan.SavePlans).toEqual({ Sid: "SavePlans", Effect: "Allow", Action: "s3:PutObject", Resource: `${PROPS.state.bucketArn}/${SAVED_PLANS_PREFIX}*` });
    expect(plan.DenyReadingSavedPlans).toMatchObject({ Effect: "Deny", Action: expect.arrayContaining(["s3:GetObject", "s3:GetObjectVersion"]), Resource: `${PROPS.state.bucketArn}/${SAVED_PLANS_PREFIX}*` });
    const deploy = inlinePolicy(json, "scoped-iam");
    expect(deploy.DenyWritingSavedPlans).toMatchObject({ Effect: "Deny", Action: expect.arrayContaining(["s3:PutObject"]), Resource: `arn:aws:s3:::*/${SAVED_PLANS_PREFIX}*` });
  });

  test("the plan role is read-only plus state read and lock", () => {
    const planRef = /^\$\{aws_iam_role\.ci_plan_[^.]+\.name\}$/;
    const plan = attachments(json).filter((a) => planRef.test(a.role));
    expect(plan.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    const s = inlinePolicy(json, "terraform-state-read-and-lock");
    expect(s.ListState).toMatchObject({ Action: "s3:ListBucket", Resource: "arn:aws:s3:::upskill-dev-tfstate" });
    expect(s.ReadState).toMatchObject({ Action: "s3:GetObject", Resource: "arn:aws:s3:::upskill-dev-tfstate/*" });
    expect(s.LockFiles).toMatchObject({ Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::upskill-dev-tfstate/*.tflock" });
    // Lock items of the given state paths only, never their -md5 digests (the IAM suite simulates it).
    expect(s.LockItemsOfTheStatePaths.Condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]).toEqual([
      "upskill-dev-tfstate/dev/network.tfstate",
      "upskill-dev-tfstate/dev/data.tfstate",
    ]);
    expect(s.StateKeyThroughS3.Condition.StringEquals["kms:ViaService"]).toContain("s3.eu-west-1.amazonaws.com");
    expect(s.DenyDataReads).toMatchObject({ Effect: "Deny", NotResource: "arn:aws:s3:::upskill-dev-tfstate/*" });
    for (const statement of Object.values(s)) if (statement.Effect === "Allow") expect(statement.Resource).not.toBe("*");
  });

  test("the deploy role is PowerUserAccess plus IAM scoped to the environment's names, never AdministratorAccess", () => {
    const deployRef = /^\$\{aws_iam_role\.ci_deploy_[^.]+\.name\}$/;
    const deploy = attachments(json).filter((a) => deployRef.test(a.role));
    expect(deploy.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/PowerUserAccess"]);
    expect(attachments(json).map((a) => a.policy_arn)).not.toContain("arn:aws:iam::aws:policy/AdministratorAccess");
    const s = inlinePolicy(json, "scoped-iam");
    expect(s.ChangeOnlyBoundedRoles.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": PROPS.boundaryArn } });
    expect(s.AttachServiceOrOwnPoliciesToBoundedRoles.Condition.StringEquals).toEqual({ "iam:PermissionsBoundary": PROPS.boundaryArn });
    expect(s.ManageEnvironmentPolicies.Resource).toBe("arn:aws:iam::111111111111:policy/upskill-dev-*");
    const passes = Object.values(s).filter((x: any) => x.Effect === "Allow" && x.Action === "iam:PassRole");
    expect(passes.length).toBeGreaterThan(0);
    for (const pass of passes) expect(Object.keys(pass.Condition.StringEquals)).toEqual(["iam:PassedToService"]);
    const attachable: string[] = s.AttachServiceOrOwnPoliciesToBoundedRoles.Condition.ArnLike["iam:PolicyARN"];
    for (const arn of ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/PowerUserAccess"]) {
      const matches = attachable.some((pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(arn));
      expect(matches).toBe(false);
    }
    expect(s.DenyChangingCiRoles).toMatchObject({ Effect: "Deny", Resource: "arn:aws:iam::111111111111:role/upskill-dev-ci-*" });
    expect(s.DenyStateBucketConfiguration).toMatchObject({ Effect: "Deny", Resource: PROPS.state.bucketArn });
    expect(s.DenyStateHistoryChanges).toMatchObject({ Effect: "Deny", Resource: `${PROPS.state.bucketArn}/*` });
    expect(s.DenyStateKeyChanges).toMatchObject({ Effect: "Deny", Resource: [PROPS.state.kmsKeyArn] });
    // Every IAM allow is scoped to this environment's names: no allowed write action on "*".
    for (const statement of Object.values(s)) {
      if (statement.Effect === "Allow" && statement.Resource === "*") expect(statement.Action).toEqual(["iam:Get*", "iam:List*"]);
    }
  });

  test("a production role with its one environment synthesizes", () => {
    const prod = synthRoles({ production: true, environmentName: "prod", deployEnvironments: ["prod"], namePrefix: "upskill-prod" });
    expect(trust(prod, "upskill-prod-ci-deploy")[0].Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual(["repo:upskill-learning/platform:environment:prod"]);
  });

  test("session lengths: plan 1 hour, deploy 2 hours unless set", () => {
    expect(role(json, "upskill-dev-ci-plan").max_session_duration).toBe(3600);
    expect(role(json, "upskill-dev-ci-deploy").max_session_duration).toBe(14400);
    expect(role(synthRoles({ deployMaxSessionSeconds: 10800 }), "upskill-dev-ci-deploy").max_session_duration).toBe(10800);
  });

  test.each<[Partial<GithubCiRolesProps>, RegExp]>([
    [{ repository: "not-a-repo" }, /repository must be owner\/name/],
    [{ accountId: "1" }, /accountId must be 12 digits/],
    [{ namePrefix: "Upskill" }, /namePrefix must be lower-case/],
    [{ deployBranches: ["*"] }, /would trust every branch/],
    [{ deployEnvironments: [] }, /at least one deploy environment \(the deploy role trusts GitHub environments only/],
    [{ production: true, environmentName: "prod", deployEnvironments: ["prod", "dev"] }, /a production deploy role trusts only the GitHub environment "prod"/],
    [{ production: true, environmentName: "prod", deployEnvironments: ["production"] }, /trusts only the GitHub environment "prod"/],
    [{ production: true, deployEnvironments: ["prod"] }, /production needs environmentName/],
    [{ deployEnvironments: ["prod*"] }, /without wildcards/],
    [{ deployMaxSessionSeconds: 60 }, /3600-43200/],
  ])("refuses %o", (props, message) => {
    expect(() => synthRoles(props)).toThrow(message);
  });
});
