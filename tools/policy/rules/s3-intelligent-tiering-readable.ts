import { blocks, pass, fail } from "../helpers";
import type { Rule } from "../types";

/** Intelligent-Tiering's opt-in tiers, whose objects GetObject refuses (InvalidObjectState) until restored. */
const ARCHIVE_TIERS = ["ARCHIVE_ACCESS", "DEEP_ARCHIVE_ACCESS"];

export const rule: Rule = {
  id: "s3-intelligent-tiering-readable",
  category: "backups",
  level: "error",
  description:
    "Intelligent-Tiering keeps objects readable in real time: no archive tiers (ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS) unless the bucket has a reader that restores them (a suppression naming it).",
  appliesTo: ["aws_s3_bucket_intelligent_tiering_configuration"],
  check(config) {
    if (config.config.status === "Disabled") return pass("configuration disabled");
    const archived = blocks(config.config.tiering).map((t) => t.access_tier).filter((t) => ARCHIVE_TIERS.includes(t));
    if (archived.length === 0) return pass("no archive tiers");
    return fail(`opts into ${archived.join(", ")}: objects there are not readable until restored (hours); remove the tiers or add a restore path`);
  },
};
