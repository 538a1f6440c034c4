import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing, TerraformStack, type TerraformResource } from "cdktf";
import { EcrRepository } from "../../modules/ecr-repository/ecr-repository";
import { parse } from "yaml";
import { AppStack, type AppStackProps } from "../../stacks/app-stack";
import { appStackFakes as fakes } from "../support/app-fakes";
import { parseSynth, REPO_ROOT, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

function build(name: string, extra: Partial<AppStackProps> = {}): { stack: AppStack; json: SynthJson } {
  const environment = shippedEnvironment(name);
  const stack = new AppStack(testApp(), { environment, ...fakes(name, environment.region, environment.accountId), ...extra });
  return { stack, json: parseSynth(Testing.synth(stack)) };
}

/** The one resource of a type whose construct path starts with `prefix`, with its name. */
function one(json: SynthJson, type: string, prefix: string): [string, Record<string, any>] {
  const matches = Object.entries(resourcesOf(json, type)).filter(([n]) => n.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`${matches.length} ${type} named ${prefix}*`);
  return matches[0];
}

describe.each(SHIPPED_ENVIRONMENTS)("AppStack (%s)", (envName) => {
  const env = shippedEnvironment(envName);
  const prefix = env.names.prefix;
  const { stack, json } = build(envName);
  const services = env.app.services;
  const release = (service: string) => one(json, "helm_release", `service-${service}_release`)[1];
  const values = (service: string): any => parse(release(service).values[0]);

  test("is <env>-app with the primary AWS provider and the cluster's Kubernetes and Helm providers (exec auth)", () => {
    expect(stack.node.id).toBe(`${envName}-app`);
    expect((json.provider?.aws ?? []).map((p) => p.region)).toEqual([env.region]);
    const exec = { api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", `upskill-${envName}`, "--region", env.region] };
    expect(json.provider?.kubernetes).toEqual([expect.objectContaining({ host: "https://ABC.gr7.eu-west-1.eks.amazonaws.com", exec: [exec] })]);
    expect(json.provider?.helm).toEqual([{ kubernetes: expect.objectContaining({ exec, cluster_ca_certificate: '${base64decode("Q0E=")}' }) }]);
  });

  test("an image repository per service (no chart repository: the chart is in this repository), immutable, scanned, encrypted with the app key, keeping config's image count", () => {
    const [keyName, key] = one(json, "aws_kms_key", "app-key");
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const repos = Object.values(resourcesOf(json, "aws_ecr_repository"));
    expect(repos.map((r) => r.name).sort()).toEqual(services.map((s) => `${prefix}/${s.name}`).sort());
    for (const r of repos) {
      expect(r).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: `\${aws_kms_key.${keyName}.arn}` }],
        force_delete: false,
        lifecycle: { prevent_destroy: true },
      });
    }
    const policies = Object.values(resourcesOf(json, "aws_ecr_lifecycle_policy"));
    expect(policies).toHaveLength(repos.length);
    for (const p of policies) expect(JSON.parse(p.policy).rules.map((r: any) => r.selection.countNumber)).toEqual([14, env.app.keepImages]);
  });

  test("each release waits for its image tag to be in its repository, read through the repository resource (so Terraform defers it while the repository is new)", () => {
    const images = (json as any).data?.aws_ecr_image ?? {};
    const repoIds = Object.fromEntries(Object.entries(resourcesOf(json, "aws_ecr_repository")).map(([id, r]) => [r.name, id]));
    for (const service of services) {
      const [id, image] = Object.entries<any>(images).find(([k]) => k.startsWith(`image-${service.name}-tag`))!;
      expect(image.image_tag).toBe(service.imageTag);
      expect(image.repository_name).toBe(`\${aws_ecr_repository.${repoIds[`${prefix}/${service.name}`]}.name}`);
      expect(release(service.name).depends_on).toContain(`data.aws_ecr_image.${id}`);
    }
    expect(Object.keys(images)).toHaveLength(services.length);
  });

  test("the database dump CronJob runs in the app namespace on config's schedule, writing to the backups bucket", () => {
    const [, job] = one(json, "kubernetes_cron_job_v1", "database-dump");
    expect(job.spec.schedule).toBe(env.data.postgres.dumps!.schedule);
    expect(job.metadata.namespace).toBe("upskill");
    expect(JSON.stringify(job)).toContain(`s3://upskill-${envName}-backups-`);
    const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p: any) => JSON.parse(p.policy)).find((d) => d.Statement.some((s: any) => s.Sid === "PutDumps"));
    expect(policy.Statement.find((s: any) => s.Sid === "PutDumps").Resource).toEqual([expect.stringMatching(/^arn:aws:s3:::upskill-.*-backups-\d+\/postgres\/\*$/)]);
  });

  test("the namespace enforces the restricted pod security standard and gets the load balancer controller's readiness gates", () => {
    expect(one(json, "kubernetes_namespace_v1", "namespace")[1].metadata).toEqual({
      name: "upskill",
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        // Without it a rolling update may leave a target group with no healthy target.
        "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
      },
    });
  });

  test.each(services.map((s) => s.name))("%s: a release of the repository's chart upskill-service from its copy beside the stack, nothing from a registry", (name) => {
    const [association] = one(json, "aws_eks_pod_identity_association", `service-${name}_`);
    expect(release(name)).toMatchObject({
      name: `upskill-${name}`,
      namespace: "upskill",
      create_namespace: false,
      chart: stack.chart.path,
      atomic: true,
      provider: "helm",
    });
    expect(stack.chart.path).toMatch(/^assets\/service-chart_files_[0-9A-F]+\/[0-9A-F]{32}$/);
    for (const key of ["repository", "repository_username", "repository_password", "version"]) expect(release(name)).not.toHaveProperty(key);
    expect(stack.releases[name].chartVersion).toBe(parse(fs.readFileSync(path.join(REPO_ROOT, "charts", "upskill-service", "Chart.yaml"), "utf8")).version);
    expect(release(name).depends_on).toEqual(expect.arrayContaining(["kubernetes_namespace_v1.namespace", `aws_eks_pod_identity_association.${association}`]));
    expect(json.data?.aws_ecr_authorization_token).toBeUndefined();
  });

  test("the former chart repositories (construct chart-<service>) are forgotten, not destroyed, at the addresses cdktf gave them", () => {
    const scratch = new TerraformStack(testApp(), "scratch");
    const addresses = services.flatMap((s) => {
      const old = new EcrRepository(scratch, `chart-${s.name}`, { name: `${prefix}/charts/upskill-${s.name}`, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k", keepImages: 30 });
      const policy = old.node.findChild("lifecycle") as TerraformResource;
      return [`aws_ecr_repository.${old.repository.friendlyUniqueId}`, `aws_ecr_lifecycle_policy.${policy.friendlyUniqueId}`];
    });
    expect((json as any).removed).toEqual(addresses.map((from) => ({ from, lifecycle: { destroy: false } })));
  });

  test.each(services.map((s) => s.name))("%s: values carry its image, service account, target group and endpoints", (name) => {
    const service = services.find((s) => s.name === name)!;
    const [imageRepo] = one(json, "aws_ecr_repository", `image-${name}_`);
    const v = values(name);
    const f = fakes(envName, env.region, env.accountId);
    expect(v.image).toEqual({ repository: `\${jsonencode(aws_ecr_repository.${imageRepo}.repository_url)}`, tag: service.imageTag });
    expect(v.serviceAccount).toEqual({ create: true, name: `upskill-${name}` });
    expect(v.fullnameOverride).toBe(`upskill-${name}`);
    if (service.port !== undefined) {
      expect(v.targetGroupBinding).toEqual({ enabled: true, targetGroupARN: f.edge.targetGroups[name].arn, targetType: "ip" });
      expect(v.containerPort).toBe(service.port);
      expect(v.healthCheckPath).toBe(service.healthCheckPath);
    } else {
      expect(v.targetGroupBinding).toEqual({ enabled: false });
    }
    if (service.database === "none") expect(v.config).not.toHaveProperty("database");
    else
      expect(v.config.database).toEqual({
        writerHost: f.data.postgres.writerEndpoint,
        readerHosts: f.data.postgres.readerEndpoints.length > 0 ? f.data.postgres.readerEndpoints : [f.data.postgres.writerEndpoint],
        port: 5432,
        name: "upskill",
        user: `upskill_${name}`,
        iamAuth: true,
        sslMode: "verify-full",
      });
    expect(JSON.stringify(v)).not.toContain(f.data.postgres.masterSecretArn);
    expect(v.config.cache).toEqual({
      primaryHost: f.data.cache.primaryEndpoint,
      readerHost: f.data.cache.readerEndpoint,
      port: 6379,
      tls: true,
      iamAuth: true,
      user: f.data.cache.appUserId,
      replicationGroupId: f.data.cache.replicationGroupId,
    });
    expect(v.config.site).toEqual({ url: `https://${env.domain.name}`, cdnDomain: "d111111abcdef8.cloudfront.net" });
    expect(v.config.uploads).toEqual(service.uploadsAccess ? { bucket: f.data.buckets.uploads.name } : undefined);
  });

  test.each(services.map((s) => s.name))("%s: node placement follows config's node class and the node groups' labels and taints", (name) => {
    const service = services.find((s) => s.name === name)!;
    const v = values(name);
    const required = v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0];
    if (service.nodeClass === "core") {
      expect(required).toEqual({ key: "upskill.io/node-class", operator: "In", values: ["core"] });
      expect(v.tolerations).toEqual([]);
    } else {
      expect(required).toEqual({ key: "upskill.io/node-class", operator: "In", values: ["spot", "core"] });
      expect(v.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values).toEqual(["spot"]);
      expect(v.tolerations).toEqual([{ key: "upskill.io/spot", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    }
    expect(v).not.toHaveProperty("nodeSelector");
  });

  test("api and worker (the Spot-tolerant one) are placed as the issue asks; in staging and prod web is on core nodes", () => {
    expect(values("api").tolerations).toEqual([]);
    expect(values("worker").tolerations).toHaveLength(1);
    if (envName !== "dev") expect(values("web").tolerations).toEqual([]);
  });

  test.each(services.map((s) => s.name))("%s: replicas, resources, autoscaling, a disruption budget and zone spread come from its values files", (name) => {
    const v = values(name);
    const file = parse(fs.readFileSync(path.join(REPO_ROOT, "helm-values", `upskill-${name}.yaml`), "utf8"));
    const overlayPath = path.join(REPO_ROOT, "helm-values", envName, `upskill-${name}.yaml`);
    const overlay = fs.existsSync(overlayPath) ? parse(fs.readFileSync(overlayPath, "utf8")) : {};
    expect(v.replicaCount).toBe(overlay.replicaCount ?? file.replicaCount);
    expect(v.resources).toEqual(overlay.resources ?? file.resources);
    expect(v.autoscaling).toEqual({ ...file.autoscaling, ...overlay.autoscaling });
    expect(v.autoscaling).toMatchObject({ enabled: true, minReplicas: expect.any(Number), maxReplicas: expect.any(Number), targetCPUUtilizationPercentage: expect.any(Number) });
    expect(v.autoscaling.minReplicas).toBeLessThanOrEqual(v.autoscaling.maxReplicas);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(v.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1, labelSelector: { matchLabels: { "app.kubernetes.io/name": `upskill-${name}` } } });
    expect(v.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(v.resources.limits.memory).toBe(v.resources.requests.memory);
  });

  test("every service the load balancer reaches keeps at least one pod per AZ, strictly spread", () => {
    for (const s of services.filter((x) => x.port !== undefined)) {
      const v = values(s.name);
      expect(v.autoscaling.minReplicas).toBeGreaterThanOrEqual(env.availabilityZones.length);
      expect(v.topologySpreadConstraints[0].whenUnsatisfiable).toBe("DoNotSchedule");
    }
  });

  test.each(services.map((s) => s.name))("%s: its workload role trusts only upskill/upskill-<service> on the cluster and is bound by Pod Identity", (name) => {
    const [roleName, role] = one(json, "aws_iam_role", `service-${name}_`);
    expect(role.name).toBe(`${prefix}-app-${name}`);
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(trust.Condition.StringEquals).toMatchObject({
      "aws:RequestTag/kubernetes-namespace": "upskill",
      "aws:RequestTag/kubernetes-service-account": `upskill-${name}`,
      "aws:RequestTag/eks-cluster-name": `upskill-${envName}`,
    });
    expect(one(json, "aws_eks_pod_identity_association", `service-${name}_`)[1]).toMatchObject({
      cluster_name: `upskill-${envName}`,
      namespace: "upskill",
      service_account: `upskill-${name}`,
      role_arn: `\${aws_iam_role.${roleName}.arn}`,
    });
  });

  test.each(services.map((s) => s.name))("%s: its role connects to the database as its own user (only with database access), to the cache, and to uploads only with uploads access", (name) => {
    const service = services.find((s) => s.name === name)!;
    const f = fakes(envName, env.region, env.accountId);
    const statements: any[] = JSON.parse(one(json, "aws_iam_role_policy", `service-${name}_`)[1].policy).Statement;
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const db = service.database !== "none";
    expect(statements.map((s) => s.Sid)).toEqual([...(db ? ["ConnectAsOwnDatabaseUser"] : []), "ConnectToCacheAsAppUser", ...(service.uploadsAccess ? ["ListUploads", "ReadWriteUploads", "UseUploadsKeyThroughS3"] : [])]);
    if (db) {
      const ids = [f.data.postgres.resourceId, ...f.data.postgres.replicaResourceIds];
      expect(byId.ConnectAsOwnDatabaseUser.Resource).toEqual(ids.map((id) => `arn:aws:rds-db:${env.region}:${env.accountId}:dbuser:${id}/upskill_${name}`));
    }
    expect(byId.ConnectToCacheAsAppUser.Resource).toEqual([f.data.cache.replicationGroupArn, f.data.cache.appUserArn]);
    if (service.uploadsAccess) expect(byId.ReadWriteUploads.Resource).toEqual([`${f.data.buckets.uploads.arn}/*`]);
    expect(JSON.stringify(statements)).not.toContain(f.data.postgres.masterSecretArn);
  });

  test("the provisioning job's role alone reads the master user secret, and the job creates the services' database roles", () => {
    const f = fakes(envName, env.region, env.accountId);
    const readers = Object.values(resourcesOf(json, "aws_iam_role_policy")).filter((p) => p.policy.includes(f.data.postgres.masterSecretArn));
    expect(readers).toHaveLength(1);
    expect(readers[0].role).toMatch(/database-provisioner_role/);
    const job = Object.values(resourcesOf(json, "kubernetes_job_v1"))[0];
    const sql = job.spec.template.spec.container[0].env.find((e: any) => e.name === "PROVISIONING_SQL").value;
    for (const s of services.filter((x) => x.database !== "none")) expect(sql).toContain(`GRANT rds_iam TO upskill_${s.name};`);
    for (const s of services.filter((x) => x.database === "none")) expect(sql).not.toContain(`upskill_${s.name}`);
    expect(job.spec.template.spec.service_account_name).toBe("db-provisioner");
  });

  test("outputs: each service's image repository (no chart registry any more)", () => {
    expect(Object.keys(stack.repositoryUrls)).toEqual(services.map((s) => s.name));
    expect(json.output?.["chart-registry"]).toBeUndefined();
    expect(Object.keys(json.output?.["image-repositories"].value)).toEqual(services.map((s) => s.name));
  });
});

describe("AppStack refuses", () => {
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-values-"));
    for (const f of fs.readdirSync(path.join(REPO_ROOT, "helm-values")).filter((f) => f.endsWith(".yaml"))) fs.copyFileSync(path.join(REPO_ROOT, "helm-values", f), path.join(dir, f));
    return dir;
  };

  test("a values file that sets a computed value, naming the file and key", () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, "prod"));
    fs.writeFileSync(path.join(dir, "prod", "upskill-api.yaml"), "image:\n  tag: latest\n");
    expect(() => build("prod", { valuesDir: dir })).toThrow("prod/upskill-api.yaml sets image.tag, which the app layer computes; remove it from the file");
  });

  test("a values file that places pods itself", () => {
    const dir = tmp();
    fs.appendFileSync(path.join(dir, "upskill-worker.yaml"), "tolerations: []\n");
    expect(() => build("staging", { valuesDir: dir })).toThrow("upskill-worker.yaml sets tolerations, which the app layer computes");
  });

  test("a service without its values file", () => {
    const dir = tmp();
    fs.rmSync(path.join(dir, "upskill-web.yaml"));
    expect(() => build("dev", { valuesDir: dir })).toThrow(/upskill-web\.yaml: missing/);
  });

  test("a chart folder without a Helm 3 Chart.yaml", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-chart-"));
    expect(() => build("dev", { chartDir: dir })).toThrow(`LocalChart service-chart: ${path.join(dir, "Chart.yaml")}: missing; directory must be a Helm chart's folder`);
    fs.writeFileSync(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: upskill-service\nversion: latest\n");
    expect(() => build("dev", { chartDir: dir })).toThrow('version must be an exact version such as 1.2.3, got "latest"');
  });

  test("a service with a port but no target group from the edge layer", () => {
    const env = shippedEnvironment("dev");
    const f = fakes("dev", env.region, env.accountId);
    expect(() => new AppStack(testApp(), { environment: env, ...f, edge: { ...f.edge, targetGroups: { api: f.edge.targetGroups.api } } })).toThrow(
      "AppStack: service web has a port but the edge layer has no target group for it",
    );
  });
});
