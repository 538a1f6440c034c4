import type { Construct } from "constructs";
import { TerraformResource, type TerraformMetaArguments } from "cdktf";

export interface TerraformDataProps extends TerraformMetaArguments {
  /** Stored in state and echoed in `output` after apply. Default: none. */
  readonly input?: Record<string, unknown>;
  /** Stored in state; a change replaces the resource. Default: none. */
  readonly triggersReplace?: Record<string, unknown>;
}

/**
 * Terraform's built-in `terraform_data` resource, rendered exactly as cdktf's
 * `DataResource` renders it, without the check `DataResource` adds to every
 * instance: that check runs `terraform version` once per instance at each
 * synthesis (about 70 ms each: most of the edge layer's synthesis time). The
 * project pins its Terraform in `.terraform-version` (1.11, far above the 1.4
 * the resource needs) and the rehearsal and CI check that version once.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = "terraform_data";
  private readonly inputValue?: Record<string, unknown>;
  private readonly triggersReplaceValue?: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: TerraformDataProps = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: "terraform" },
      provider: props.provider,
      dependsOn: props.dependsOn,
      count: props.count,
      lifecycle: props.lifecycle,
      provisioners: props.provisioners,
      connection: props.connection,
      forEach: props.forEach,
    });
    this.inputValue = props.input;
    this.triggersReplaceValue = props.triggersReplace;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.inputValue, triggers_replace: this.triggersReplaceValue };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      input: { value: this.inputValue, isBlock: false, type: "map", storageClassType: "anyMap" },
      triggers_replace: { value: this.triggersReplaceValue, isBlock: false, type: "map", storageClassType: "anyMap" },
    };
  }
}
