import { problemsAfter } from "../support/config-files";

describe("config: CI trust (cicd)", () => {
  test("an existing OIDC provider may be reused", () => {
    expect(problemsAfter("dev", [["cicd.oidcProviderArn", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"]])).toEqual([]);
  });

  test("the OIDC provider ARN must be GitHub's provider", () => {
    expect(problemsAfter("dev", [["cicd.oidcProviderArn", "arn:aws:iam::111111111111:oidc-provider/example.com"]])).toEqual([
      'config/dev.yaml: cicd.oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/example.com" — must be the ARN of the account\'s GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
    ]);
  });

  test("the OIDC provider must belong to the environment's account", () => {
    expect(problemsAfter("dev", [["cicd.oidcProviderArn", "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com"]])).toEqual([
      'config/dev.yaml: cicd.oidcProviderArn: "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com" — must belong to accountId 111111111111: roles trust a provider of their own account',
    ]);
  });

  test("deploy branches must be named, not every branch", () => {
    expect(problemsAfter("prod", [["cicd.deployBranches", ["main", "*"]]])).toEqual([
      'config/prod.yaml: cicd.deployBranches[1]: "*" — must name branches (patterns such as release/* are fine), not trust every branch',
    ]);
  });

  test("deploy environments are names without wildcards", () => {
    expect(problemsAfter("staging", [["cicd.deployEnvironments", ["staging*"]]])).toEqual([
      'config/staging.yaml: cicd.deployEnvironments[0]: "staging*" — must be a GitHub environment name without wildcards',
    ]);
  });

  test("the deploy role needs a GitHub environment to trust: it trusts no branch", () => {
    expect(problemsAfter("dev", [["cicd.deployEnvironments", []]])).toEqual([
      "config/dev.yaml: cicd.deployEnvironments: [] — must name at least one GitHub environment: the deploy role trusts GitHub environments only",
    ]);
  });

  test("a production deploy role trusts exactly its own GitHub environment (the one with required reviewers)", () => {
    expect(problemsAfter("prod", [["cicd.deployEnvironments", ["prod", "hotfix"]]])).toEqual([
      'config/prod.yaml: cicd.deployEnvironments: ["prod","hotfix"] — must be exactly ["prod"] in a production environment: the deploy role trusts only the GitHub environment whose required reviewers approve its applies',
    ]);
    expect(problemsAfter("prod", [["cicd.deployEnvironments", ["staging"]]])).toHaveLength(1);
    // Outside production more than one environment may deploy (e.g. a dev sandbox environment).
    expect(problemsAfter("dev", [["cicd.deployEnvironments", ["dev", "dev-sandbox"]]])).toEqual([]);
  });

  test("the repository is owner/name", () => {
    expect(problemsAfter("dev", [["cicd.repository", "platform"]])).toEqual([
      'config/dev.yaml: cicd.repository: "platform" — must be a GitHub repository as owner/name',
    ]);
  });
});
