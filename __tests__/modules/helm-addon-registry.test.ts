import { Testing } from "cdktf";
import { DataAwsEcrAuthorizationToken } from "@cdktf/provider-aws/lib/data-aws-ecr-authorization-token";
import { HelmAddOn } from "../../modules/helm-addon/helm-addon";

const BASE = { name: "upskill-api", repository: "oci://111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/charts", chart: "upskill-api", version: "1.0.0", namespace: "upskill" };

describe("HelmAddOn registry credentials (private OCI registries)", () => {
  test("username and password come from the ECR authorization token data source, as references", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const token = new DataAwsEcrAuthorizationToken(scope, "token", { registryId: "111111111111" });
        new HelmAddOn(scope, "api", { ...BASE, repositoryCredentials: { username: token.userName, password: token.password } });
      }),
    );
    const release = Object.values<any>(json.resource.helm_release)[0];
    expect(release.repository_username).toBe("${data.aws_ecr_authorization_token.token.user_name}");
    expect(release.repository_password).toBe("${data.aws_ecr_authorization_token.token.password}");
  });

  test("without credentials the release sets none", () => {
    const json = JSON.parse(Testing.synthScope((scope) => void new HelmAddOn(scope, "api", BASE)));
    const release = Object.values<any>(json.resource.helm_release)[0];
    expect(release).not.toHaveProperty("repository_username");
    expect(release).not.toHaveProperty("repository_password");
  });

  test("a literal password is refused", () => {
    expect(() => Testing.synthScope((scope) => void new HelmAddOn(scope, "api", { ...BASE, repositoryCredentials: { username: "AWS", password: "hunter2" } }))).toThrow(
      "HelmAddOn api: repositoryCredentials.password must be a reference read at plan time",
    );
  });
});
