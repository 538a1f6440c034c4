import { allowedNodeClasses, NODE_CLASS_LABEL, podPlacement, type PlacementNodeGroup } from "../../modules/app-service/placement";
import { databaseUserOf, servicePolicyStatements, type ServiceAccessInputs } from "../../modules/app-service/service-permissions";
import { COMPUTED_ONLY_KEYS, computedServiceValues, type ServiceValuesInputs } from "../../modules/app-service/service-values";
import { assertNoComputedKeys } from "../../modules/app-service/values";

const GROUPS: PlacementNodeGroup[] = [
  { name: "core", labels: { [NODE_CLASS_LABEL]: "core" }, taints: [] },
  { name: "spot", labels: { [NODE_CLASS_LABEL]: "spot" }, taints: [{ key: "upskill.io/spot", value: "true", effect: "NO_SCHEDULE" }] },
];

describe("podPlacement", () => {
  test("core pods must run on core nodes and tolerate nothing", () => {
    expect(podPlacement("core", GROUPS)).toEqual({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "upskill.io/node-class", operator: "In", values: ["core"] }] }],
          },
        },
      },
      tolerations: [],
    });
  });

  test("spot pods prefer Spot nodes, may fall back to core ones, and tolerate the Spot taint", () => {
    expect(podPlacement("spot", GROUPS)).toEqual({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "upskill.io/node-class", operator: "In", values: ["spot", "core"] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, preference: { matchExpressions: [{ key: "upskill.io/node-class", operator: "In", values: ["spot"] }] } },
          ],
        },
      },
      tolerations: [{ key: "upskill.io/spot", operator: "Equal", value: "true", effect: "NoSchedule" }],
    });
    expect(allowedNodeClasses("spot")).toEqual(["spot", "core"]);
  });

  test("tolerations follow the node groups' taints: EKS effects mapped, value-less taints tolerated with Exists, duplicates once", () => {
    const groups: PlacementNodeGroup[] = [
      ...GROUPS,
      { name: "spot-2", labels: { [NODE_CLASS_LABEL]: "spot" }, taints: [{ key: "upskill.io/spot", value: "true", effect: "NO_SCHEDULE" }, { key: "drain", effect: "NO_EXECUTE" }] },
      { name: "gpu", labels: { [NODE_CLASS_LABEL]: "gpu" }, taints: [{ key: "nvidia.com/gpu", effect: "NO_SCHEDULE" }] },
    ];
    expect(podPlacement("spot", groups).tolerations).toEqual([
      { key: "upskill.io/spot", operator: "Equal", value: "true", effect: "NoSchedule" },
      { key: "drain", operator: "Exists", effect: "NoExecute" },
    ]);
  });

  test("refuses a class no node group carries", () => {
    expect(() => podPlacement("spot", [GROUPS[0]])).toThrow("podPlacement: no node group is labelled upskill.io/node-class: spot");
  });
});

const ACCESS: ServiceAccessInputs = {
  region: "eu-west-1",
  accountId: "111111111111",
  cache: { replicationGroupArn: "arn:aws:elasticache:eu-west-1:111111111111:replicationgroup:c", userArn: "arn:aws:elasticache:eu-west-1:111111111111:user:c-app" },
};

describe("servicePolicyStatements", () => {
  test("a service without database access connects to the cache as the app user and nothing else; no secret is ever granted", () => {
    expect(servicePolicyStatements(ACCESS)).toEqual([
      { Sid: "ConnectToCacheAsAppUser", Effect: "Allow", Action: ["elasticache:Connect"], Resource: [ACCESS.cache.replicationGroupArn, ACCESS.cache.userArn] },
    ]);
  });

  test("database access is rds-db:connect as the service's own user on the primary and every replica", () => {
    const statements = servicePolicyStatements({ ...ACCESS, database: { user: databaseUserOf("api"), resourceIds: ["db-PRIMARY", "db-REPLICA1"] } });
    expect(statements[0]).toEqual({
      Sid: "ConnectAsOwnDatabaseUser",
      Effect: "Allow",
      Action: ["rds-db:connect"],
      Resource: ["arn:aws:rds-db:eu-west-1:111111111111:dbuser:db-PRIMARY/upskill_api", "arn:aws:rds-db:eu-west-1:111111111111:dbuser:db-REPLICA1/upskill_api"],
    });
    expect(statements.flatMap((x) => [x.Action].flat())).not.toContain("secretsmanager:GetSecretValue");
  });

  test("uploads access adds list, object read/write/delete and the bucket key through S3 for that bucket", () => {
    const bucket = "arn:aws:s3:::upskill-dev-uploads";
    const statements = servicePolicyStatements({ ...ACCESS, uploads: { bucketArn: bucket, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/buckets" } });
    expect(statements.slice(1)).toEqual([
      { Sid: "ListUploads", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
      { Sid: "ReadWriteUploads", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${bucket}/*`] },
      {
        Sid: "UseUploadsKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: ["arn:aws:kms:eu-west-1:111111111111:key/buckets"],
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket, `${bucket}/*`] },
        },
      },
    ]);
  });

  test("only the service that restores archived uploads may call s3:RestoreObject", () => {
    const uploads = { bucketArn: "arn:aws:s3:::b", kmsKeyArn: "arn:k" };
    const actions = (restoresArchived?: boolean) => servicePolicyStatements({ ...ACCESS, uploads: { ...uploads, restoresArchived } }).flatMap((s) => s.Action);
    expect(actions()).not.toContain("s3:RestoreObject");
    expect(actions(true)).toContain("s3:RestoreObject");
  });

  test("no statement has a wildcard action or resource", () => {
    const all = servicePolicyStatements({ ...ACCESS, uploads: { bucketArn: "arn:aws:s3:::b", kmsKeyArn: "arn:k" } });
    for (const s of all) {
      expect([s.Action].flat().some((a) => a.includes("*"))).toBe(false);
      expect([s.Resource].flat()).not.toContain("*");
    }
  });
});

const INPUTS: ServiceValuesInputs = {
  releaseName: "upskill-api",
  serviceAccount: "upskill-api",
  image: { repository: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/api", tag: "1.2.3" },
  http: { port: 8080, healthCheckPath: "/healthz" },
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/upskill-dev-api/abc",
  placement: podPlacement("core", GROUPS),
  region: "eu-west-1",
  database: { writerHost: "db.example", readerHosts: ["r1.example", "r2.example"], port: 5432, databaseName: "upskill", user: "upskill_api" },
  cache: { primaryHost: "p.example", readerHost: "r.example", port: 6379, replicationGroupId: "upskill-dev-cache", user: "upskill-dev-cache-app" },
  uploadsBucket: "upskill-dev-uploads",
  site: { domain: "dev.upskill.example.com", cdnDomain: "d111.cloudfront.net" },
};

describe("computedServiceValues", () => {
  test("image, service account, TargetGroupBinding, placement and endpoints", () => {
    expect(computedServiceValues(INPUTS)).toEqual({
      fullnameOverride: "upskill-api",
      image: { repository: INPUTS.image.repository, tag: "1.2.3" },
      serviceAccount: { create: true, name: "upskill-api" },
      containerPort: 8080,
      healthCheckPath: "/healthz",
      targetGroupBinding: { enabled: true, targetGroupARN: INPUTS.targetGroupArn, targetType: "ip" },
      affinity: INPUTS.placement.affinity,
      tolerations: [],
      config: {
        awsRegion: "eu-west-1",
        database: { writerHost: "db.example", readerHosts: ["r1.example", "r2.example"], port: 5432, name: "upskill", user: "upskill_api", iamAuth: true, sslMode: "verify-full" },
        cache: { primaryHost: "p.example", readerHost: "r.example", port: 6379, tls: true, iamAuth: true, user: "upskill-dev-cache-app", replicationGroupId: "upskill-dev-cache" },
        uploads: { bucket: "upskill-dev-uploads" },
        site: { url: "https://dev.upskill.example.com", cdnDomain: "d111.cloudfront.net" },
      },
    });
  });

  test("a service without a port gets no binding and no port; without uploads access no bucket; without replicas reads go to the writer", () => {
    const values = computedServiceValues({
      ...INPUTS,
      http: undefined,
      targetGroupArn: undefined,
      uploadsBucket: undefined,
      database: { ...INPUTS.database!, readerHosts: [] },
    }) as any;
    expect(values.targetGroupBinding).toEqual({ enabled: false });
    expect(values).not.toHaveProperty("containerPort");
    expect(values).not.toHaveProperty("healthCheckPath");
    expect(values.config).not.toHaveProperty("uploads");
    expect(values.config.database.readerHosts).toEqual(["db.example"]);
  });

  test("a service without database access gets no database settings", () => {
    expect((computedServiceValues({ ...INPUTS, database: undefined }) as any).config).not.toHaveProperty("database");
  });
});

describe("assertNoComputedKeys", () => {
  const computed = computedServiceValues(INPUTS);
  const layer = (values: Record<string, unknown>) => [{ source: "helm-values/upskill-api.yaml", values }];

  test("values files may add to a computed mapping (image.pullPolicy) and set everything else", () => {
    expect(() => assertNoComputedKeys(layer({ image: { pullPolicy: "IfNotPresent" }, replicaCount: 3 }), computed, COMPUTED_ONLY_KEYS)).not.toThrow();
  });

  test("a file that sets a computed value is refused with the file and key", () => {
    expect(() => assertNoComputedKeys(layer({ image: { tag: "latest" } }), computed, COMPUTED_ONLY_KEYS)).toThrow(
      "helm-values/upskill-api.yaml sets image.tag, which the app layer computes; remove it from the file",
    );
  });

  test("placement and the other computed-only keys cannot be set at all", () => {
    expect(() => assertNoComputedKeys(layer({ nodeSelector: { a: "b" } }), computed, COMPUTED_ONLY_KEYS)).toThrow(
      "helm-values/upskill-api.yaml sets nodeSelector, which the app layer computes; remove it from the file",
    );
    expect(() => assertNoComputedKeys(layer({ config: { extra: 1 } }), computed, COMPUTED_ONLY_KEYS)).toThrow("sets config, which the app layer computes");
  });
});
