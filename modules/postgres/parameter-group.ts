import { Construct } from "constructs";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";

export interface PostgresParameterGroupProps {
  /** Name prefix; the group is `<name>-pg<major>`. */
  readonly name: string;
  /** PostgreSQL major version, e.g. "17"; the family is `postgres<major>`. */
  readonly majorVersion: string;
  /** Statements running longer than this are logged, milliseconds. */
  readonly logMinDurationStatementMs: number;
}

/**
 * A parameter group that refuses unencrypted connections and logs slow
 * statements, connections and disconnections.
 */
export class PostgresParameterGroup extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: PostgresParameterGroupProps) {
    super(scope, id);
    if (!/^\d+$/.test(props.majorVersion)) throw new Error(`PostgresParameterGroup ${id}: majorVersion must be a major version such as "17", got "${props.majorVersion}"`);
    const major = Number(props.majorVersion);
    const group = new DbParameterGroup(this, "group", {
      name: `${props.name}-pg${major}`,
      family: `postgres${major}`,
      description: `${props.name}: TLS only, slow statement and connection logging`,
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: String(props.logMinDurationStatementMs) },
        // PostgreSQL 18 made log_connections a list of stages; "on" in 17 and before.
        { name: "log_connections", value: major >= 18 ? "receipt,authentication,authorization" : "1" },
        { name: "log_disconnections", value: "1" },
      ],
      // A major upgrade brings a new family: the new group must exist before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });
    this.name = group.name;
  }
}
