import { block, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "launch-template-imdsv2",
  category: "hardening",
  level: "error",
  description: "Instances require IMDSv2 (session tokens) for the instance metadata service.",
  appliesTo: ["aws_launch_template"],
  check(template) {
    const options = block(template.config.metadata_options);
    if (options?.http_endpoint === "disabled") return pass("metadata service disabled");
    return options?.http_tokens === "required" ? pass(`IMDSv2 required, hop limit ${options.http_put_response_hop_limit ?? 1}`) : fail("metadata_options.http_tokens is not \"required\"");
  },
};
