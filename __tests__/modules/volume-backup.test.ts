import { Testing, TerraformStack, App } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { VolumeBackup, type VolumeBackupProps } from "../../modules/volume-backup/volume-backup";

const BASE: VolumeBackupProps = {
  namePrefix: "upskill-prod",
  accountId: "111111111111",
  region: "eu-west-1",
  selectionTag: { key: "upskill.io/backup", value: "upskill-prod-volumes" },
  dailyRetentionDays: 35,
  weeklyRetentionDays: 365,
  vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650 },
};

function synth(props: Partial<VolumeBackupProps> = {}, withDr = false) {
  const app = Testing.app() as App;
  const stack = new TerraformStack(app, "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const dr = withDr ? new AwsProvider(stack, "aws_dr", { region: "eu-central-1", alias: "dr" }) : undefined;
  const backup = new VolumeBackup(stack, "volume-backup", { ...BASE, drProvider: dr, ...props });
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text), backup };
}

describe("VolumeBackup", () => {
  test("a KMS-encrypted vault that cannot be destroyed, and a daily and a weekly rule with their retention", () => {
    const { json, backup } = synth();
    const vaults = Object.values<any>(json.resource.aws_backup_vault);
    expect(vaults).toEqual([{ name: "upskill-prod-volumes", kms_key_arn: expect.stringMatching(/aws_kms_key\.volume-backup_vault-key_/), force_destroy: false, lifecycle: { prevent_destroy: true } }]);
    const plan = Object.values<any>(json.resource.aws_backup_plan)[0];
    expect(plan.rule.map((r: any) => ({ name: r.rule_name, schedule: r.schedule, days: r.lifecycle.delete_after, copy: r.copy_action }))).toEqual([
      { name: "daily", schedule: "cron(0 3 * * ? *)", days: 35, copy: undefined },
      { name: "weekly", schedule: "cron(0 4 ? * SUN *)", days: 365, copy: undefined },
    ]);
    expect(backup.drVaultArn).toBeUndefined();
  });

  test("Vault Lock in governance mode on the vault and on the DR vault: a principal with delete rights cannot remove recovery points early", () => {
    const { json } = synth({}, true);
    const locks = Object.values<any>(json.resource.aws_backup_vault_lock_configuration);
    const vaults = Object.entries<any>(json.resource.aws_backup_vault);
    expect(locks).toHaveLength(2);
    for (const [name, vault] of vaults) {
      const lock = locks.find((l) => l.backup_vault_name === `\${aws_backup_vault.${name}.name}`);
      expect(lock).toMatchObject({ min_retention_days: 7, max_retention_days: 3650 });
      // Governance mode: no changeable_for_days (that would turn into compliance mode, immutable).
      expect(lock.changeable_for_days).toBeUndefined();
      expect(lock.provider).toBe(vault.provider);
    }
    expect(Object.values<any>(synth().json.resource.aws_backup_vault_lock_configuration)).toHaveLength(1);
  });

  test("retention outside the vault lock's bounds is refused (AWS Backup would fail every job)", () => {
    expect(() => synth({ dailyRetentionDays: 3 })).toThrow("dailyRetentionDays (3) must lie within the vault lock's 7-3650 days");
    expect(() => synth({ vaultLock: { minRetentionDays: 10, maxRetentionDays: 5 } })).toThrow(/1 <= minRetentionDays <= maxRetentionDays/);
  });

  test("selects only EBS volumes that carry the tag", () => {
    const { text } = synth();
    expect(text).toHaveResourceWithProperties(BackupSelection, {
      name: "upskill-prod-volumes",
      resources: ["arn:aws:ec2:eu-west-1:111111111111:volume/*"],
      condition: [expect.objectContaining({ string_equals: [{ key: "aws:ResourceTag/upskill.io/backup", value: "upskill-prod-volumes" }] })],
    });
  });

  test("the service role trusts AWS Backup and holds its backup and restore policies", () => {
    const { json } = synth();
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-prod-volume-backup");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  test("with a DR provider: a DR vault with its own key in the DR region, and every rule copies there with the same retention", () => {
    const { json, backup } = synth({}, true);
    const vaults = Object.entries<any>(json.resource.aws_backup_vault);
    const [drName, drVault] = vaults.find(([, v]) => v.name === "upskill-prod-volumes-dr")!;
    expect(drVault).toMatchObject({ provider: "aws.dr", lifecycle: { prevent_destroy: true }, kms_key_arn: expect.stringMatching(/aws_kms_key\.volume-backup_dr-vault-key_/) });
    const drKey = Object.entries<any>(json.resource.aws_kms_key).find(([n]) => n.includes("dr-vault-key"))![1];
    expect(drKey).toMatchObject({ provider: "aws.dr", enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const plan = Object.values<any>(json.resource.aws_backup_plan)[0];
    for (const r of plan.rule) {
      expect(r.copy_action).toEqual([{ destination_vault_arn: `\${aws_backup_vault.${drName}.arn}`, lifecycle: { delete_after: r.lifecycle.delete_after } }]);
    }
    expect(backup.drVaultArn).toBeDefined();
  });

  test("custom schedules", () => {
    const plan = Object.values<any>(synth({ dailySchedule: "cron(0 1 * * ? *)", weeklySchedule: "cron(0 2 ? * SAT *)" }).json.resource.aws_backup_plan)[0];
    expect(plan.rule.map((r: any) => r.schedule)).toEqual(["cron(0 1 * * ? *)", "cron(0 2 ? * SAT *)"]);
  });

  test("refuses bad props with a message that says what to change", () => {
    expect(() => synth({ dailyRetentionDays: 0 })).toThrow(/dailyRetentionDays must be a whole number of days, at least 1, got 0/);
    expect(() => synth({ selectionTag: { key: "", value: "x" } })).toThrow(/selectionTag needs a key and a value/);
    expect(() => synth({ accountId: "1" })).toThrow(/accountId must be 12 digits/);
  });
});
