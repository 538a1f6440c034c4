/** One service's PostgreSQL role and the access it gets. */
export interface DatabaseRoleGrant {
  /** The role name, e.g. `upskill_api` (lower-case letters, digits and underscores). */
  readonly user: string;
  readonly access: "read" | "readwrite";
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The SQL the provisioning job runs as the master user: per service, its login
 * role (idempotent), `rds_iam` (IAM authentication only: the role has no
 * password), CONNECT on the database and, in schema `public`, SELECT (read) or
 * DML on tables and sequences (readwrite), now and for tables any readwrite
 * role creates later (default privileges, so migrations run by one service
 * give the others their grants). Runs in one transaction; safe to re-run.
 */
export function provisioningSql(databaseName: string, grants: readonly DatabaseRoleGrant[]): string {
  for (const name of [databaseName, ...grants.map((g) => g.user)]) {
    if (!IDENTIFIER.test(name)) throw new Error(`provisioningSql: "${name}" is not a plain PostgreSQL identifier (lower-case letters, digits, _)`);
  }
  const tablePrivileges = (access: DatabaseRoleGrant["access"]) => (access === "readwrite" ? "SELECT, INSERT, UPDATE, DELETE" : "SELECT");
  const sequencePrivileges = (access: DatabaseRoleGrant["access"]) => (access === "readwrite" ? "USAGE, SELECT, UPDATE" : "SELECT");
  const writers = grants.filter((g) => g.access === "readwrite");
  const lines = ["\\set ON_ERROR_STOP on", "BEGIN;"];
  for (const g of grants) {
    lines.push(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${g.user}') THEN CREATE ROLE ${g.user} LOGIN; END IF; END $$;`,
      `ALTER ROLE ${g.user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD NULL;`,
      `GRANT rds_iam TO ${g.user};`,
      `GRANT CONNECT ON DATABASE ${databaseName} TO ${g.user};`,
      `GRANT USAGE${g.access === "readwrite" ? ", CREATE" : ""} ON SCHEMA public TO ${g.user};`,
      `GRANT ${tablePrivileges(g.access)} ON ALL TABLES IN SCHEMA public TO ${g.user};`,
      `GRANT ${sequencePrivileges(g.access)} ON ALL SEQUENCES IN SCHEMA public TO ${g.user};`,
    );
    for (const owner of writers) {
      lines.push(
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner.user} IN SCHEMA public GRANT ${tablePrivileges(g.access)} ON TABLES TO ${g.user};`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner.user} IN SCHEMA public GRANT ${sequencePrivileges(g.access)} ON SEQUENCES TO ${g.user};`,
      );
    }
  }
  lines.push("COMMIT;");
  return `${lines.join("\n")}\n`;
}
