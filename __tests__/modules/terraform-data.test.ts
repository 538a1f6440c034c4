import { DataResource, Testing, TerraformStack } from "cdktf";
import { TerraformData } from "../../modules/terraform-data/terraform-data";

describe("TerraformData (terraform_data without a per-instance terraform version check)", () => {
  const config = {
    input: { generation: 3 },
    triggersReplace: { value: "${uuid()}" },
    lifecycle: { ignoreChanges: ["triggers_replace"] },
  };

  test("synthesizes exactly as cdktf's DataResource", () => {
    const ours = JSON.parse(Testing.synthScope((s) => new TerraformData(s, "slot", config))).resource.terraform_data.slot;
    const cdktfs = JSON.parse(Testing.synthScope((s) => new DataResource(s, "slot", config))).resource.terraform_data.slot;
    expect(ours).toEqual(cdktfs);
    expect(ours).toMatchObject({ input: { generation: 3 }, triggers_replace: { value: "${uuid()}" }, lifecycle: { ignore_changes: ["triggers_replace"] } });
  });

  test("validating it runs no `terraform version` (DataResource runs one per instance at every synthesis)", () => {
    // The module object itself (an `import *` would spy on a copy): cdktf calls child_process.execSync on it.
    const childProcess: typeof import("node:child_process") = require("node:child_process");
    const execSync = jest.spyOn(childProcess, "execSync").mockReturnValue(Buffer.from("Terraform v1.11.4\n"));
    try {
      const stack = new TerraformStack(Testing.app(), "stack");
      const ours = new TerraformData(stack, "ours", config);
      expect(ours.node.validate()).toEqual([]);
      expect(execSync).not.toHaveBeenCalled();
      const cdktfs = new DataResource(stack, "theirs", config);
      cdktfs.node.validate();
      expect(execSync).toHaveBeenCalledWith("terraform version", expect.anything());
    } finally {
      execSync.mockRestore();
    }
  });
});
