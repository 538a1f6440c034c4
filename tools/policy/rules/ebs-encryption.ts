import { block, blocks, fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "ebs-encryption",
  category: "encryption",
  level: "error",
  description: "Node volumes (launch templates' block devices) and EBS volumes are encrypted.",
  appliesTo: ["aws_launch_template", "aws_ebs_volume"],
  check(resource) {
    if (resource.type === "aws_ebs_volume") return isTrue(resource.config.encrypted) ? pass("encrypted") : fail("encrypted is not true");
    const mappings = blocks(resource.config.block_device_mappings);
    if (mappings.length === 0) return fail("no block_device_mappings: the root volume follows the AMI and the account default, not this code");
    const plain = mappings.filter((m) => !isTrue(block(m.ebs)?.encrypted)).map((m) => m.device_name ?? "?");
    if (plain.length > 0) return fail(`unencrypted block devices: ${plain.join(", ")}`);
    return pass(`${mappings.length} encrypted block device(s)${mappings.every((m) => block(m.ebs)?.kms_key_id) ? " with a customer-managed key" : ""}`);
  },
};
