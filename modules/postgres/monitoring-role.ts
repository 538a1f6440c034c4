import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";


/** The AWS managed policy of the enhanced-monitoring role. */
export const RDS_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";
export interface MonitoringRoleProps {
  /** Role name. */
  readonly name: string;
  /** Only RDS acting for this account may assume the role. */
  readonly accountId: string;
}

/** The role RDS enhanced monitoring assumes to publish OS metrics. */
export class MonitoringRole extends Construct {
  readonly roleArn: string;
  /** Depend on this so an instance starts monitoring only once the role can publish. */
  readonly policyAttachment: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: MonitoringRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.name,
      description: "RDS enhanced monitoring",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "monitoring.rds.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ],
      }),
    });
    this.policyAttachment = new IamRolePolicyAttachment(this, "policy", {
      role: role.name,
      policyArn: RDS_MONITORING_POLICY,
    });
    this.roleArn = role.arn;
  }
}
