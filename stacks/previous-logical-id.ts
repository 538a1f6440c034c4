import { Construct } from "constructs";
import type { TerraformStack } from "cdktf";

/**
 * The logical id cdktf gives a resource at `path` (construct ids below the stack, `/`-separated),
 * computed on a scratch subtree that is removed again: the address a construct had before it
 * moved or left the code, for `moved` and `removed` blocks.
 */
export function previousLogicalId(stack: TerraformStack, path: string): string {
  const [top, ...rest] = path.split("/");
  let node = new Construct(stack, top!);
  for (const id of rest) node = new Construct(node, id);
  const logicalId = stack.getLogicalId(node.node);
  stack.node.tryRemoveChild(top!);
  return logicalId;
}
