import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { parse } from "yaml";

export interface LocalChartProps {
  /** The chart's folder (holding Chart.yaml), absolute or relative to cdktf.json. */
  readonly directory: string;
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * A Helm chart kept in this repository, copied beside the synthesized stack
 * (a cdktf `TerraformAsset`, `cdktf.out/stacks/<stack>/assets/<id>/<hash>/`)
 * so the Helm provider reads it from disk at plan time: nothing is downloaded,
 * and `cdktf.out/` holds exactly what is installed. Releases in the same stack
 * share one LocalChart. Refuses a folder without a Helm 3 Chart.yaml
 * (apiVersion v2, a name and an exact version).
 */
export class LocalChart extends Construct {
  /** The chart's folder as Terraform sees it from the stack's working directory. */
  readonly path: string;
  /** Chart.yaml's name. */
  readonly chartName: string;
  /** Chart.yaml's version: what the releases record and what Helm reports as installed. */
  readonly version: string;

  constructor(scope: Construct, id: string, props: LocalChartProps) {
    super(scope, id);
    const file = path.join(props.directory, "Chart.yaml");
    const fail = (msg: string): never => {
      throw new Error(`LocalChart ${id}: ${file}: ${msg}`);
    };
    if (!fs.existsSync(file)) fail("missing; directory must be a Helm chart's folder");
    const meta = parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null;
    if (meta?.apiVersion !== "v2") fail(`apiVersion must be v2 (a Helm 3 chart), got ${JSON.stringify(meta?.apiVersion)}`);
    if (typeof meta!.name !== "string" || meta!.name === "") fail("name is missing");
    if (typeof meta!.version !== "string" || !SEMVER.test(meta!.version)) fail(`version must be an exact version such as 1.2.3, got ${JSON.stringify(meta!.version)}`);
    this.chartName = meta!.name as string;
    this.version = meta!.version as string;
    const asset = new TerraformAsset(this, "files", { path: path.resolve(props.directory), type: AssetType.DIRECTORY });
    this.path = asset.path;
  }
}
