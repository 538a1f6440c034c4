import { STATEFUL_TYPES } from "../../stateful-types";
import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "stateful-prevent-destroy",
  category: "deletion protection",
  level: "error",
  description: "Every stateful resource (databases, caches, buckets, KMS keys, tables, EKS clusters, backup vaults) has lifecycle.prevent_destroy.",
  appliesTo: Object.entries(STATEFUL_TYPES).filter(([, t]) => t.preventDestroy).map(([type]) => type),
  check(resource) {
    return isTrue(resource.config.lifecycle?.prevent_destroy)
      ? pass("prevent_destroy")
      : fail(`no lifecycle.prevent_destroy: a plan may destroy ${STATEFUL_TYPES[resource.type]!.loses}`);
  },
};
