import { problemsAfter } from "../support/config-files";

/** One test per rule of the data section (config/rules/data.ts and the schema's own checks). */
describe("config: data layer", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  describe("PostgreSQL", () => {
    test("read replicas need backups", () => {
      expect(problemsAfter("staging", [["data.postgres.backupRetentionDays", 0]])).toEqual([
        "config/staging.yaml: data.postgres.backupRetentionDays: 0 — must be above 0 when readReplicas is 1: RDS creates replicas only from a backed-up source",
      ]);
    });

    test("every database is backed up, replicas or not", () => {
      expect(problemsAfter("dev", [["data.postgres.backupRetentionDays", 0]])).toEqual([
        "config/dev.yaml: data.postgres.backupRetentionDays: 0 — must be at least 1: automated backups and point-in-time recovery protect every database",
      ]);
    });

    test("production replicates the database's backups to the DR region and dumps it", () => {
      expect(problemsAfter("prod", [["data.postgres.drBackupRetentionDays", undefined], ["data.postgres.dumps", undefined]])).toEqual([
        "config/prod.yaml: data.postgres.drBackupRetentionDays: (missing) — must be set in a production environment: the database's automated backups are replicated to eu-central-1 so a regional outage leaves it restorable",
        "config/prod.yaml: data.postgres.dumps: (missing) — must be set in a production environment: logical dumps in the backups bucket restore one table or another engine version, which snapshots cannot",
      ]);
      expect(problemsAfter("dev", [["data.postgres.drBackupRetentionDays", 36]])).toEqual([expect.stringMatching(/^config\/dev\.yaml: data\.postgres\.drBackupRetentionDays: 36 — /)]);
      expect(problemsAfter("dev", [["data.postgres.dumps", { schedule: "nightly" }]])).toEqual([
        'config/dev.yaml: data.postgres.dumps.schedule: "nightly" — must be a five-field cron schedule such as 30 4 * * *',
      ]);
    });

    test("production keeps backups at least 7 days", () => {
      expect(problemsAfter("prod", [["data.postgres.backupRetentionDays", 3]])).toEqual([
        "config/prod.yaml: data.postgres.backupRetentionDays: 3 — must be at least 7 days in a production environment",
      ]);
    });

    test("backup retention stays within what RDS allows", () => {
      expect(problemsAfter("dev", [["data.postgres.backupRetentionDays", 36]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: data\.postgres\.backupRetentionDays: 36 — /),
      ]);
    });

    test("Multi-AZ needs two AZs", () => {
      expect(problemsAfter("dev", [["availabilityZones", ["eu-west-1a"]], ["data.postgres.multiAz", true]])).toContain(
        "config/dev.yaml: data.postgres.multiAz: true — needs at least 2 availability zones",
      );
    });

    test("production runs Multi-AZ", () => {
      expect(problemsAfter("prod", [["data.postgres.multiAz", false]])).toEqual([
        "config/prod.yaml: data.postgres.multiAz: false — must be true in a production environment: a standby in another AZ takes over when the primary's AZ fails",
      ]);
    });

    test("a replica count above what RDS allows", () => {
      expect(problemsAfter("prod", [["data.postgres.readReplicas", 16]])).toEqual([
        "config/prod.yaml: data.postgres.readReplicas: 16 — must be at most 15: RDS for PostgreSQL allows 15 read replicas per source",
      ]);
    });

    test("production has at least one replica", () => {
      expect(problemsAfter("prod", [["data.postgres.readReplicas", 0]])).toEqual([
        "config/prod.yaml: data.postgres.readReplicas: 0 — must be at least 1 in a production environment",
        // ...and the replicas' reservation would then reserve nothing.
        'config/prod.yaml: data.reservations.rds[1].tier: "replicas" — matches no configured instance: the read replicas (data.postgres.readReplicas: 0); remove the reservation',
      ]);
    });

    test("replicas need a second AZ", () => {
      expect(problemsAfter("staging", [["availabilityZones", ["eu-west-1a"]], ["data.postgres.multiAz", false]])).toContain(
        "config/staging.yaml: data.postgres.readReplicas: 1 — needs at least 2 availability zones: replicas are placed apart from the primary",
      );
    });

    test("the storage ceiling is not below the allocated storage", () => {
      expect(problemsAfter("dev", [["data.postgres.maxAllocatedStorageGb", 20]])).toEqual([]);
      expect(problemsAfter("prod", [["data.postgres.maxAllocatedStorageGb", 50]])).toEqual([
        "config/prod.yaml: data.postgres.maxAllocatedStorageGb: 50 — must be at least allocatedStorageGb (100)",
      ]);
    });

    test("an unsupported PostgreSQL version", () => {
      expect(problemsAfter("dev", [["data.postgres.engineVersion", "15"]])).toEqual([
        'config/dev.yaml: data.postgres.engineVersion: "15" — must be a PostgreSQL major version RDS supports: 16, 17 or 18',
      ]);
    });

    test("instance classes, monitoring interval and Performance Insights retention are ones RDS accepts", () => {
      expect(
        problemsAfter("dev", [
          ["data.postgres.replicaInstanceClass", "r7g.large"],
          ["data.postgres.monitoringIntervalSeconds", 20],
          ["data.postgres.performanceInsightsRetentionDays", 30],
        ]),
      ).toEqual([
        'config/dev.yaml: data.postgres.replicaInstanceClass: "r7g.large" — must be an RDS instance class such as db.r7g.large',
        "config/dev.yaml: data.postgres.monitoringIntervalSeconds: 20 — must be one of the enhanced monitoring intervals: 1, 5, 10, 15, 30 or 60",
        "config/dev.yaml: data.postgres.performanceInsightsRetentionDays: 30 — must be 7, 731 or a multiple of 31 below 731 (what Performance Insights accepts)",
      ]);
    });

    test("windows use the RDS syntax", () => {
      expect(problemsAfter("dev", [["data.postgres.maintenanceWindow", "sunday 4am"]])).toEqual([
        'config/dev.yaml: data.postgres.maintenanceWindow: "sunday 4am" — must be a maintenance window such as sun:03:00-sun:04:00',
      ]);
    });
  });

  describe("cache", () => {
    test("an unsupported engine version, per engine", () => {
      expect(problemsAfter("prod", [["data.cache.engineVersion", "6.2"]])).toEqual([
        'config/prod.yaml: data.cache.engineVersion: "6.2" — must be a redis version this platform supports: 7.1',
      ]);
      expect(problemsAfter("dev", [["data.cache.engineVersion", "7.1"]])).toEqual([
        'config/dev.yaml: data.cache.engineVersion: "7.1" — must be a valkey version this platform supports: 8.0, 8.1, 8.2, 9.0',
      ]);
      expect(problemsAfter("dev", [["data.cache.engineVersion", "8"]])).toEqual([
        'config/dev.yaml: data.cache.engineVersion: "8" — must be <major>.<minor>, such as 7.1 or 8.1',
      ]);
    });

    test("Valkey and Redis versions are accepted for their own engine", () => {
      expect(problemsAfter("prod", [["data.cache.engine", "valkey"], ["data.cache.engineVersion", "9.0"]])).toEqual([]);
      expect(problemsAfter("dev", [["data.cache.engine", "redis"], ["data.cache.engineVersion", "7.1"]])).toEqual([]);
    });

    test("a node count below 2 with failover", () => {
      expect(problemsAfter("dev", [["data.cache.nodeCount", 1]])).toEqual([
        "config/dev.yaml: data.cache.nodeCount: 1 — must be at least 2: automatic failover needs a replica",
      ]);
    });

    test("a node count above what ElastiCache allows", () => {
      expect(problemsAfter("prod", [["data.cache.nodeCount", 7]])).toEqual([
        "config/prod.yaml: data.cache.nodeCount: 7 — must be at most 6: a replication group has one primary and at most 5 replicas",
      ]);
    });

    test("production runs a node per AZ", () => {
      expect(problemsAfter("prod", [["data.cache.nodeCount", 2]])).toEqual([
        "config/prod.yaml: data.cache.nodeCount: 2 — must be at least 3 in a production environment: one node per AZ",
      ]);
    });

    test("snapshots are kept", () => {
      expect(problemsAfter("dev", [["data.cache.snapshotRetentionDays", 0]])).toEqual([
        "config/dev.yaml: data.cache.snapshotRetentionDays: 0 — must be at least 1: daily snapshots keep the cache's data recoverable",
      ]);
    });

    test("the engine is redis or valkey", () => {
      expect(problemsAfter("dev", [["data.cache.engine", "memcached"]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: data\.cache\.engine: "memcached" — /),
      ]);
    });
  });

  describe("buckets", () => {
    test("dumps expire only after their last transition", () => {
      expect(problemsAfter("prod", [["data.buckets.backupsExpireAfterDays", 30]])).toEqual([
        "config/prod.yaml: data.buckets.backupsExpireAfterDays: 30 — must be after the last transition (day 30): dumps would expire before they are archived",
      ]);
    });

    test("Deep Archive comes at least 90 days after Glacier", () => {
      expect(problemsAfter("prod", [["data.buckets.backupsDeepArchiveAfterDays", 60]])).toEqual([
        "config/prod.yaml: data.buckets.backupsDeepArchiveAfterDays: 60 — must be at least 90 days after backupsGlacierAfterDays (30): Glacier bills 90 days at least",
      ]);
      expect(problemsAfter("prod", [["data.buckets.backupsDeepArchiveAfterDays", 120]])).toEqual([]);
    });

    test("uploads archive tiers need a restore path: a service with uploads access that restores", () => {
      expect(problemsAfter("prod", [["data.buckets.uploadsArchive", { archiveAccessDays: 90 }]])).toEqual([
        expect.stringMatching(/^config\/prod\.yaml: data\.buckets\.uploadsArchive\.restoredBy: .* — must name the app service that restores archived uploads/),
      ]);
      expect(problemsAfter("prod", [["data.buckets.uploadsArchive", { restoredBy: "web" }]])).toEqual([
        'config/prod.yaml: data.buckets.uploadsArchive.restoredBy: "web" — must be an app service with uploadsAccess: true (api, worker)',
      ]);
      expect(problemsAfter("prod", [["data.buckets.uploadsArchive", { restoredBy: "worker", archiveAccessDays: 200, deepArchiveAccessDays: 190 }]])).toEqual([
        "config/prod.yaml: data.buckets.uploadsArchive.deepArchiveAccessDays: 190 — must be greater than archiveAccessDays (200)",
      ]);
      expect(problemsAfter("prod", [["data.buckets.uploadsArchive", { restoredBy: "worker" }]])).toEqual([]);
    });

    test("CORS origins are https origins", () => {
      expect(problemsAfter("dev", [["data.buckets.uploadCorsOrigins", ["http://dev.upskill.example.com", "https://a.example.com/app"]]])).toEqual([
        'config/dev.yaml: data.buckets.uploadCorsOrigins[0]: "http://dev.upskill.example.com" — must be an https origin without a path, such as https://app.example.com',
        'config/dev.yaml: data.buckets.uploadCorsOrigins[1]: "https://a.example.com/app" — must be an https origin without a path, such as https://app.example.com',
      ]);
    });

    test("a DR region equal to the primary (replicas would share the primary's fate)", () => {
      expect(problemsAfter("prod", [["drRegion", "eu-west-1"]])).toEqual([
        'config/prod.yaml: drRegion: "eu-west-1" — must differ from region (eu-west-1) so a regional outage spares the copies',
      ]);
    });

    test("replication switches are booleans", () => {
      expect(problemsAfter("dev", [["data.buckets.replication.uploads", "yes"]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: data\.buckets\.replication\.uploads: "yes" — /),
      ]);
    });
  });

  describe("derived names", () => {
    test("a project name too long for the names the data layer derives", () => {
      expect(problemsAfter("dev", [["project", "a-very-long-project-name"]])).toEqual([
        'config/dev.yaml: project: "a-very-long-project-name" — gives the cache user id a-very-long-project-name-dev-cache-default (42 characters), longer than AWS allows (40); shorten the project name',
      ]);
    });

    test("an RDS identifier too long for its replicas", () => {
      expect(problemsAfter("prod", [["data.postgres.identifier", `p${"x".repeat(54)}`]])).toEqual([
        `config/prod.yaml: data.postgres.identifier: "p${"x".repeat(54)}" — gives the replica identifier p${"x".repeat(54)}-replica-2, longer than RDS's 63 characters`,
      ]);
    });
  });

  describe("reservations", () => {
    const term = { termYears: 1, payment: "No Upfront" };

    test("shipped staging and prod list their reservations, unconfirmed (nothing bought until confirm: true)", () => {
      for (const env of ["staging", "prod"]) {
        expect(problemsAfter(env, [])).toEqual([]);
      }
      expect(problemsAfter("prod", [["data.reservations.rds[0].confirm", true]])).toEqual([]);
    });

    test("a reservation that matches no configured instance is refused", () => {
      expect(problemsAfter("dev", [["data.reservations", { rds: [{ tier: "replicas", ...term }] }]])).toEqual([
        'config/dev.yaml: data.reservations.rds[0].tier: "replicas" — matches no configured instance: the read replicas (data.postgres.readReplicas: 0); remove the reservation',
      ]);
      expect(problemsAfter("prod", [["data.reservations", { rds: [{ tier: "replicas", count: 3, ...term }], elasticache: [{ count: 4, ...term }] }]])).toEqual([
        "config/prod.yaml: data.reservations.rds[0].count: 3 — must be at most 2: only the read replicas (data.postgres.readReplicas: 2) can use it, and unused reservations are paid anyway",
        "config/prod.yaml: data.reservations.elasticache[0].count: 4 — must be at most 3: only the cache nodes (data.cache.nodeCount: 3) can use it, and unused reservations are paid anyway",
      ]);
    });

    test("term, payment and tier are ones AWS sells; one reservation per tier", () => {
      expect(problemsAfter("prod", [["data.reservations.rds[0].termYears", 2]])).toEqual([expect.stringMatching(/^config\/prod\.yaml: data\.reservations\.rds\[0\]\.termYears: 2 — must be 1 or 3/)]);
      expect(problemsAfter("prod", [["data.reservations.rds[0].payment", "Heavy Utilization"]])).toEqual([expect.stringMatching(/payment: "Heavy Utilization" — must be No Upfront, Partial Upfront or All Upfront/)]);
      expect(problemsAfter("prod", [["data.reservations.rds[1].tier", "primary"]])).toEqual(['config/prod.yaml: data.reservations.rds[1].tier: "primary" — is reserved by another entry: one reservation per tier']);
      expect(problemsAfter("prod", [["data.reservations.rds[0].offeringId", "438012d3"]])).toEqual([expect.stringMatching(/data\.reservations\.rds\[0\]/)]);
    });
  });
});
