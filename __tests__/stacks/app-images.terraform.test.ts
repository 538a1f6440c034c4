import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { EcrRepository } from "../../modules/ecr-repository/ecr-repository";
import { rehearse } from "../../tools/rehearse/rehearse";
import { planOfCode } from "../../tools/rehearse/drill";
import type { PreparedStack } from "../../tools/rehearse/workspace";
import { writeSynthDir } from "../support/synth-dir";
import { describeWithTerraform } from "../support/terraform";

/**
 * The app layer checks that each service's image tag is in its repository
 * (`data.aws_ecr_image`, read through the repository resource). Judged by
 * Terraform core: in a new environment, where the repository is created by the
 * same apply, the read is deferred to the apply (a plan made before any image
 * was pushed still succeeds); once the repository exists, the read happens at
 * plan time, so a pull request naming a tag nobody pushed fails its plan.
 */
describeWithTerraform("app images: when Terraform checks that the tag was pushed", () => {
  const dirs: string[] = [];
  let close = async () => {};
  let fresh: any;
  let steady: any;

  // Every stack also holds another service's repository and check: the rehearsal's providers serve
  // the schema of the types a stack has, and the drill's cases may only add instances of them.
  const synth = (parts: { readonly apiRepository: boolean; readonly apiImage: boolean }): any => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new AwsProvider(scope, "aws", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
        const other = new EcrRepository(scope, "image-worker", { name: "upskill-dev/worker", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/app", keepImages: 10 });
        new DataAwsEcrImage(scope, "image-worker-tag", { repositoryName: other.repositoryName, imageTag: "2.0.0" });
        if (parts.apiRepository) {
          const repo = new EcrRepository(scope, "image-api", { name: "upskill-dev/api", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/app", keepImages: 10 });
          if (parts.apiImage) new DataAwsEcrImage(scope, "image-api-tag", { repositoryName: repo.repositoryName, imageTag: "1.4.2" });
        }
      }),
    );
    return { ...json, terraform: { ...json.terraform, backend: { s3: { bucket: "state", key: "dev/app.tfstate", region: "eu-west-1", encrypt: true } } } };
  };
  const readOf = (plan: any) => (plan.resource_changes ?? []).find((c: any) => c.address.startsWith("data.aws_ecr_image.image-api-tag"));

  /** Terraform's plan of `json` in an applied stack's folder. */
  const planOf = async (prepared: PreparedStack, json: any): Promise<any> => {
    const plan = await planOfCode(prepared, json, "images");
    if (!plan.ok) throw new Error(plan.detail);
    return plan.planJson;
  };

  beforeAll(async () => {
    // fresh: a new environment for the api (its repository is not applied); steady: its repository exists.
    const dir = writeSynthDir({
      "fresh-app": { json: synth({ apiRepository: false, apiImage: false }) },
      "steady-app": { json: synth({ apiRepository: true, apiImage: false }) },
    });
    const run = await rehearse({ manifestFile: path.join(dir, "manifest.json"), jobs: 1, keepPluginsRunning: true });
    dirs.push(dir, run.workspace.dir);
    close = () => run.workspace.close();
    expect(run.stacks.map((s) => [s.id, s.result])).toEqual([["fresh-app", "applied"], ["steady-app", "applied"]]);
    // The prepared JSON keeps the rehearsal's backend; the plan brings the api's repository and check.
    const full = synth({ apiRepository: true, apiImage: true });
    const onto = (prepared: PreparedStack) => ({ ...prepared.json, resource: full.resource, data: full.data });
    const [freshStack, steadyStack] = run.stacks.map((s) => s.prepared!);
    fresh = await planOf(freshStack, onto(freshStack));
    steady = await planOf(steadyStack, onto(steadyStack));
  }, 180_000);

  afterAll(async () => {
    await close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("new environment: the plan succeeds and defers the read to the apply, after the repository is created", () => {
    expect(readOf(fresh)).toMatchObject({ change: { actions: ["read"] }, action_reason: "read_because_dependency_pending" });
  });

  test("repository applied: the read happens while planning (no deferred read), so a missing tag fails the plan", () => {
    // The api's repository is planned as it stands: no change but the check's read.
    expect((steady.resource_changes ?? []).filter((c: any) => !c.change.actions.includes("no-op"))).toEqual([]);
    expect(readOf(steady)).toBeUndefined();
  });
});
