import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EcrRepository } from "../../modules/ecr-repository/ecr-repository";
import { rehearse } from "../../tools/rehearse/rehearse";
import { runDrill, type DrillResult } from "../../tools/rehearse/drill";
import { synthesizedApp } from "../support/synthesized-app";
import { writeSynthDir } from "../support/synth-dir";
import { describeWithTerraform } from "../support/terraform";

/**
 * The upgrade note of issue 12, judged by Terraform: an environment whose app
 * stack still holds the former chart repositories (construct `chart-<service>`)
 * plans the new code's `removed` blocks as forgets, not destroys, and
 * `npm run plan-guard` passes that plan without the data-loss override.
 */
describeWithTerraform("upgrade: the former chart repositories are forgotten, not destroyed", () => {
  let result: DrillResult;
  const dirs: string[] = [];
  let close = async () => {};

  beforeAll(async () => {
    // The removed blocks exactly as the dev app stack synthesizes them.
    const removed = synthesizedApp().stacks.get("dev-app")!.removed as any[];
    const before = JSON.parse(
      Testing.synthScope((scope) => {
        new AwsProvider(scope, "aws", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
        new EcrRepository(scope, "chart-api", { name: "upskill-dev/charts/upskill-api", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/app", keepImages: 10 });
      }),
    );
    const json = { ...before, terraform: { ...before.terraform, backend: { s3: { bucket: "state", key: "dev/app.tfstate", region: "eu-west-1", encrypt: true } } } };
    const dir = writeSynthDir({ "upgrade-app": { json } });
    const applied = await rehearse({ manifestFile: path.join(dir, "manifest.json"), jobs: 1, keepPluginsRunning: true });
    dirs.push(dir, applied.workspace.dir);
    close = () => applied.workspace.close();
    const stack = applied.stacks[0];
    expect(stack.result).toBe("applied");
    const { resource: _gone, ...rest } = stack.prepared!.json;
    const after = { ...rest, removed };
    [result] = await runDrill(stack.prepared!, [{ name: "chart repositories removed from the code", expected: [], refused: false, json: after }]);
  }, 120_000);

  afterAll(async () => {
    await close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("Terraform plans a forget of the repository and its lifecycle policy, and no destroy", () => {
    expect(result.ok).toBe(true);
    const changes = (result.planJson.resource_changes ?? []).map((c: any) => [c.address, c.change.actions]);
    expect(changes.sort()).toEqual([
      [expect.stringMatching(/^aws_ecr_lifecycle_policy\.chart-api_lifecycle_[0-9A-F]{8}$/), ["forget"]],
      [expect.stringMatching(/^aws_ecr_repository\.chart-api_repository_[0-9A-F]{8}$/), ["forget"]],
    ]);
  });

  test("plan-guard passes it without the override", () => {
    expect(result.detail).toBe("passes without the override");
  });
});
