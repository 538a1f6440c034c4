/**
 * The node label of the on-demand, untainted nodes where the platform's
 * controllers run (config's `core` node group carries it); Spot nodes carry
 * `upskill.io/node-class: spot` and a taint.
 */
export const NODE_CLASS_LABEL = "upskill.io/node-class";
export const CORE_NODE_CLASS = "core";
