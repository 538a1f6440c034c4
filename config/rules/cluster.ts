import { problem, type ConfigRule } from "./types";

/** EKS and its node groups. */

export const nodeGroupSizes: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    const at = `cluster.nodeGroups[${i}]`;
    const out = [];
    if (g.minSize > g.maxSize) out.push(problem(`${at}.minSize`, g.minSize, `must be at most maxSize (${g.maxSize})`));
    if (g.desiredSize < g.minSize) out.push(problem(`${at}.desiredSize`, g.desiredSize, `must be at least minSize (${g.minSize})`));
    if (g.desiredSize > g.maxSize) out.push(problem(`${at}.desiredSize`, g.desiredSize, `must be at most maxSize (${g.maxSize})`));
    return out;
  });

export const nodeGroupNamesUnique: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) =>
    env.cluster.nodeGroups.findIndex((o) => o.name === g.name) !== i ? [problem(`cluster.nodeGroups[${i}].name`, g.name, "is used by another node group")] : [],
  );

export const clusterRules: readonly ConfigRule[] = [nodeGroupSizes, nodeGroupNamesUnique];
