import { Testing } from "cdktf";
import { DatabaseProvisioner, type DatabaseProvisionerProps } from "../../modules/database-provisioner/database-provisioner";
import { provisioningSql } from "../../modules/database-provisioner/provisioning-sql";
import { parseSynth, resourcesOf } from "../support/fixtures";

describe("provisioningSql", () => {
  const sql = provisioningSql("upskill", [
    { user: "upskill_api", access: "readwrite" },
    { user: "upskill_reports", access: "read" },
  ]);

  test("creates each role once, for IAM authentication only, in one transaction that stops on error", () => {
    expect(sql.startsWith("\\set ON_ERROR_STOP on\nBEGIN;\n")).toBe(true);
    expect(sql.trimEnd().endsWith("COMMIT;")).toBe(true);
    expect(sql).toContain("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'upskill_api') THEN CREATE ROLE upskill_api LOGIN;");
    expect(sql).toContain("ALTER ROLE upskill_api WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD NULL;");
    expect(sql).toContain("GRANT rds_iam TO upskill_reports;");
  });

  test("read gets SELECT only; readwrite gets DML and CREATE in public; default privileges follow the writers' tables", () => {
    expect(sql).toContain("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO upskill_api;");
    expect(sql).toContain("GRANT USAGE, CREATE ON SCHEMA public TO upskill_api;");
    expect(sql).toContain("GRANT SELECT ON ALL TABLES IN SCHEMA public TO upskill_reports;");
    expect(sql).toContain("GRANT USAGE ON SCHEMA public TO upskill_reports;");
    expect(sql).not.toMatch(/(INSERT|UPDATE|DELETE|CREATE)[^;]* TO upskill_reports;/);
    expect(sql).toContain("ALTER DEFAULT PRIVILEGES FOR ROLE upskill_api IN SCHEMA public GRANT SELECT ON TABLES TO upskill_reports;");
  });

  test("refuses names that would need quoting (or inject SQL)", () => {
    expect(() => provisioningSql("upskill", [{ user: "x'; DROP TABLE t; --", access: "read" }])).toThrow(/not a plain PostgreSQL identifier/);
    expect(() => provisioningSql("Up-Skill", [])).toThrow(/not a plain PostgreSQL identifier/);
  });
});

describe("DatabaseProvisioner", () => {
  const PROPS: DatabaseProvisionerProps = {
    roleName: "upskill-dev-db-provisioner",
    clusterName: "upskill-dev",
    accountId: "111111111111",
    region: "eu-west-1",
    namespace: "upskill",
    database: {
      writerHost: "db.example",
      port: 5432,
      name: "upskill",
      masterUsername: "upskill_admin",
      masterSecretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/db",
    },
    grants: [{ user: "upskill_api", access: "readwrite" }],
  };
  const json = parseSynth(Testing.synthScope((scope) => void new DatabaseProvisioner(scope, "p", PROPS)));

  test("its role reads the master secret, decrypting through Secrets Manager only", () => {
    const policy = JSON.parse(Object.values(resourcesOf(json, "aws_iam_role_policy"))[0].policy);
    expect(policy.Statement[0]).toMatchObject({ Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [PROPS.database.masterSecretArn] });
    expect(policy.Statement[1].Condition).toEqual({ StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
  });

  test("the job runs restricted, keeps the secret in a memory volume and carries the SQL in its spec", () => {
    const job = Object.values(resourcesOf(json, "kubernetes_job_v1"))[0];
    const pod = job.spec.template.spec;
    expect(pod.service_account_name).toBe("db-provisioner");
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(pod.volume[0].empty_dir).toEqual({ medium: "Memory", size_limit: "1Mi" });
    for (const c of [...pod.init_container, ...pod.container]) expect(c.security_context).toMatchObject({ allow_privilege_escalation: false, read_only_root_filesystem: true });
    expect(pod.container[0].env.find((e: any) => e.name === "PROVISIONING_SQL").value).toBe(provisioningSql("upskill", PROPS.grants));
    expect(JSON.stringify(job)).not.toMatch(/password"\s*:/i);
    expect(job.wait_for_completion).toBe(true);
  });

  test("refuses an empty grant list", () => {
    expect(() => Testing.synthScope((scope) => void new DatabaseProvisioner(scope, "p", { ...PROPS, grants: [] }))).toThrow(/no service has database access/);
  });
});
