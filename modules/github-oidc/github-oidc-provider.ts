import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";

/** The issuer of GitHub Actions' OIDC tokens (one IAM provider per account may name it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface GithubOidcProviderProps {
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions, audience
 * `sts.amazonaws.com`. No thumbprint: the list is optional in the IAM API (IAM
 * fetches the issuer's CA thumbprint itself) and IAM verifies the issuer's TLS
 * certificate against its library of trusted root CAs, so no pinned value to rotate.
 */
export class GithubOidcProvider extends Construct {
  readonly providerArn: string;
  readonly resource: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    this.resource = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      provider: props.provider,
    });
    this.providerArn = this.resource.arn;
  }
}
