import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { EcrRepository } from "../../modules/ecr-repository/ecr-repository";
import { rehearse } from "../../tools/rehearse/rehearse";
import { runDrill, type DrillResult } from "../../tools/rehearse/drill";
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
  let fresh: DrillResult;
  let steady: DrillResult;

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
  const readOf = (r: DrillResult) => (r.planJson?.resource_changes ?? []).find((c: any) => c.address.startsWith("data.aws_ecr_image.image-api-tag"));

  beforeAll(async () => {
    // A new environment for the api: its repository is not applied.
    const freshDir = writeSynthDir({ "fresh-app": { json: synth({ apiRepository: false, apiImage: false }) } });
    const freshRun = await rehearse({ manifestFile: path.join(freshDir, "manifest.json"), jobs: 1, keepPluginsRunning: true });
    // An environment whose api repository exists.
    const steadyDir = writeSynthDir({ "steady-app": { json: synth({ apiRepository: true, apiImage: false }) } });
    const steadyRun = await rehearse({ manifestFile: path.join(steadyDir, "manifest.json"), jobs: 1, keepPluginsRunning: true });
    dirs.push(freshDir, steadyDir, freshRun.workspace.dir, steadyRun.workspace.dir);
    close = async () => {
      await freshRun.workspace.close();
      await steadyRun.workspace.close();
    };
    expect(freshRun.stacks.map((s) => s.result)).toEqual(["applied"]);
    expect(steadyRun.stacks.map((s) => s.result)).toEqual(["applied"]);
    // The prepared JSON keeps the rehearsal's backend; the case brings the api's repository and check.
    const full = synth({ apiRepository: true, apiImage: true });
    const onto = (prepared: any) => ({ ...prepared.json, resource: full.resource, data: full.data });
    [fresh] = await runDrill(freshRun.stacks[0].prepared!, [{ name: "repository and image check, new environment", expected: [], refused: false, json: onto(freshRun.stacks[0].prepared) }]);
    [steady] = await runDrill(steadyRun.stacks[0].prepared!, [{ name: "image check, repository applied", expected: [], refused: false, json: onto(steadyRun.stacks[0].prepared) }]);
  }, 180_000);

  afterAll(async () => {
    await close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("new environment: the plan succeeds and defers the read to the apply, after the repository is created", () => {
    expect(fresh.detail).toBe("passes without the override");
    expect(readOf(fresh)).toMatchObject({ change: { actions: ["read"] }, action_reason: "read_because_dependency_pending" });
  });

  test("repository applied: the read happens while planning (no deferred read), so a missing tag fails the plan", () => {
    expect(steady.detail).toBe("passes without the override");
    expect(readOf(steady)).toBeUndefined();
  });
});
