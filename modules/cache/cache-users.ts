import { Construct } from "constructs";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";

export interface CacheUsersProps {
  /** Prefix of the user and group ids, e.g. `upskill-prod-cache`. */
  readonly name: string;
  /** ACL of the application's user. Default: every key and command except the dangerous ones (`on ~* +@all -@dangerous`). */
  readonly appAccessString?: string;
}

// ElastiCache user and group ids: a letter first, then letters, digits and single hyphens.
const USER_ID = /^[a-z](?!.*--)[a-z0-9-]*(?<!-)$/;
const MAX_USER_ID = 40;

/**
 * Role-based access without any password: the application's user
 * authenticates with IAM (a short-lived token signed with its role), and the
 * `default` user every group must contain is switched off. Nothing secret is
 * generated, so nothing secret reaches the state or the synthesized JSON.
 * Users and group use the `redis` engine, which Redis OSS and Valkey caches both accept.
 */
export class CacheUsers extends Construct {
  readonly userGroupId: string;
  /** User id = user name, what the app passes to AUTH with its IAM token. */
  readonly appUserId: string;
  readonly appUserArn: string;

  constructor(scope: Construct, id: string, props: CacheUsersProps) {
    super(scope, id);
    const appUserId = `${props.name}-app`;
    const defaultUserId = `${props.name}-default`;
    for (const userId of [appUserId, defaultUserId]) {
      if (!USER_ID.test(userId) || userId.length > MAX_USER_ID) {
        throw new Error(`CacheUsers ${id}: name "${props.name}" gives the user id "${userId}", which ElastiCache refuses (at most ${MAX_USER_ID} lower-case letters, digits and single hyphens, a letter first); shorten the name`);
      }
    }
    const disabledDefault = new ElasticacheUser(this, "default-user", {
      userId: defaultUserId,
      userName: "default",
      engine: "redis",
      // "off": no one can authenticate as the default user, password or not.
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    const app = new ElasticacheUser(this, "app-user", {
      // IAM authentication requires the user id and name to be equal.
      userId: appUserId,
      userName: appUserId,
      engine: "redis",
      accessString: props.appAccessString ?? "on ~* +@all -@dangerous",
      authenticationMode: { type: "iam" },
    });
    const group = new ElasticacheUserGroup(this, "group", {
      userGroupId: props.name,
      engine: "redis",
      userIds: [disabledDefault.userId, app.userId],
    });
    this.userGroupId = group.userGroupId;
    this.appUserId = app.userId;
    this.appUserArn = app.arn;
  }
}
