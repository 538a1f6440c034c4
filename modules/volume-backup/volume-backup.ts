import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupPlan, type BackupPlanRule } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsKey } from "../kms-key/kms-key";

export interface VolumeBackupProps {
  /** `<project>-<env>`: names the vaults, plan, role and key aliases. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** The region of the volumes (the stack's default provider). */
  readonly region: string;
  /** The tag that marks a volume for backup (the storage class sets it on every volume it provisions). */
  readonly selectionTag: { readonly key: string; readonly value: string };
  readonly dailyRetentionDays: number;
  readonly weeklyRetentionDays: number;
  /** Copy every recovery point to a vault in another region through this provider. Default: no copy. */
  readonly drProvider?: TerraformProvider;
  /** Daily backup time (AWS Backup cron, UTC). Default: 03:00. */
  readonly dailySchedule?: string;
  /** Weekly backup time (AWS Backup cron, UTC). Default: Sunday 04:00. */
  readonly weeklySchedule?: string;
  /**
   * AWS Backup Vault Lock in governance mode on both vaults: no recovery point may be deleted
   * before `minRetentionDays`, or kept past `maxRetentionDays`, except by a principal allowed
   * backup:DeleteBackupVaultLockConfiguration (governance mode: no `changeable_for_days`, so the
   * lock never becomes immutable compliance mode). Both rules' retention must lie within the bounds.
   */
  readonly vaultLock: { readonly minRetentionDays: number; readonly maxRetentionDays: number };
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** AWS Backup's managed policies for its service role. */
export const BACKUP_SERVICE_POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
] as const;

/**
 * Snapshots of the cluster's persistent volumes with AWS Backup: a KMS-encrypted
 * vault, a plan with a daily and a weekly rule and their retention, copies of each
 * recovery point to a vault (own key) in the DR region, a selection of the EBS
 * volumes that carry the backup tag, and the service role. Vaults and keys have
 * `prevent_destroy`.
 */
export class VolumeBackup extends Construct {
  readonly vaultName: string;
  readonly vaultArn: string;
  /** Undefined without a DR provider. */
  readonly drVaultArn?: string;
  readonly planId: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: VolumeBackupProps) {
    super(scope, id);
    validate(id, props);
    const { provider, namePrefix, accountId } = props;

    const key = new KmsKey(this, "vault-key", {
      alias: `${namePrefix}/volume-backups`,
      description: `AWS Backup vault ${namePrefix}-volumes`,
      accountId,
      provider,
    });
    const vault = new BackupVault(this, "vault", {
      name: `${namePrefix}-volumes`,
      kmsKeyArn: key.keyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
      provider,
    });
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    const lock = (lockId: string, vaultName: string, lockProvider?: TerraformProvider) =>
      new BackupVaultLockConfiguration(this, lockId, {
        backupVaultName: vaultName,
        minRetentionDays: props.vaultLock.minRetentionDays,
        maxRetentionDays: props.vaultLock.maxRetentionDays,
        provider: lockProvider,
      });
    lock("vault-lock", vault.name, provider);

    if (props.drProvider) {
      const drKey = new KmsKey(this, "dr-vault-key", {
        alias: `${namePrefix}/volume-backups-dr`,
        description: `AWS Backup vault ${namePrefix}-volumes-dr (copies from ${props.region})`,
        accountId,
        provider: props.drProvider,
      });
      const drVault = new BackupVault(this, "dr-vault", {
        name: `${namePrefix}-volumes-dr`,
        kmsKeyArn: drKey.keyArn,
        forceDestroy: false,
        lifecycle: { preventDestroy: true },
        provider: props.drProvider,
      });
      this.drVaultArn = drVault.arn;
      lock("dr-vault-lock", drVault.name, props.drProvider);
    }

    const rule = (ruleName: string, schedule: string, days: number): BackupPlanRule => ({
      ruleName,
      targetVaultName: vault.name,
      schedule,
      startWindow: 60,
      completionWindow: 360,
      lifecycle: { deleteAfter: days },
      recoveryPointTags: { "upskill.io/backup-rule": ruleName },
      copyAction: this.drVaultArn ? [{ destinationVaultArn: this.drVaultArn, lifecycle: { deleteAfter: days } }] : undefined,
    });
    const plan = new BackupPlan(this, "plan", {
      name: `${namePrefix}-volumes`,
      rule: [
        rule("daily", props.dailySchedule ?? "cron(0 3 * * ? *)", props.dailyRetentionDays),
        rule("weekly", props.weeklySchedule ?? "cron(0 4 ? * SUN *)", props.weeklyRetentionDays),
      ],
      provider,
    });
    this.planId = plan.id;

    const role = new IamRole(this, "role", {
      name: `${namePrefix}-volume-backup`,
      description: `AWS Backup: snapshots and restores of ${namePrefix}'s persistent volumes`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        // Only AWS Backup acting for this account (the confused-deputy guard).
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": props.accountId } } }],
      }),
      provider,
    });
    BACKUP_SERVICE_POLICIES.forEach((policyArn) => {
      new IamRolePolicyAttachment(this, policyArn.endsWith("ForBackup") ? "backup-policy" : "restore-policy", { role: role.name, policyArn, provider });
    });
    this.roleArn = role.arn;

    // EBS volumes (resource pattern) AND the tag (condition): nothing else is selected.
    new BackupSelection(this, "selection", {
      name: `${namePrefix}-volumes`,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [`arn:aws:ec2:${props.region}:${accountId}:volume/*`],
      condition: [{ stringEquals: [{ key: `aws:ResourceTag/${props.selectionTag.key}`, value: props.selectionTag.value }] }],
      provider,
    });
  }
}

function validate(id: string, props: VolumeBackupProps): void {
  const fail = (msg: string): never => {
    throw new Error(`VolumeBackup ${id}: ${msg}`);
  };
  if (!/^\d{12}$/.test(props.accountId)) fail(`accountId must be 12 digits, got ${props.accountId}`);
  for (const [field, days] of [["dailyRetentionDays", props.dailyRetentionDays], ["weeklyRetentionDays", props.weeklyRetentionDays]] as const) {
    if (!Number.isInteger(days) || days < 1) fail(`${field} must be a whole number of days, at least 1, got ${days}`);
  }
  const { minRetentionDays: min, maxRetentionDays: max } = props.vaultLock;
  if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min) fail(`vaultLock needs whole days with 1 <= minRetentionDays <= maxRetentionDays, got ${min}-${max}`);
  for (const [field, days] of [["dailyRetentionDays", props.dailyRetentionDays], ["weeklyRetentionDays", props.weeklyRetentionDays]] as const) {
    if (days < min || days > max) fail(`${field} (${days}) must lie within the vault lock's ${min}-${max} days: AWS Backup refuses the job otherwise`);
  }
  if (!props.selectionTag.key || !props.selectionTag.value) fail("selectionTag needs a key and a value; without them every volume of the account would be selected");
  if (`${props.namePrefix}-volume-backup`.length > 64) fail(`namePrefix "${props.namePrefix}" makes the role name longer than IAM's 64 characters`);
}
