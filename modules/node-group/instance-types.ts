/** What an EC2 instance type name says about the instance (no AWS call). */

export type CpuArchitecture = "x86_64" | "arm64";

/**
 * `m7g.xlarge` -> `{ family: "m7g", size: "xlarge" }`; the family's letters after its
 * generation digit carry the processor (`g` = Graviton) and options (`d`, `n`, `e`...).
 */
export function parseInstanceType(type: string): { family: string; size: string } {
  const dot = type.indexOf(".");
  if (dot <= 0 || dot === type.length - 1) throw new Error(`"${type}" is not an EC2 instance type such as m7i.large`);
  return { family: type.slice(0, dot), size: type.slice(dot + 1) };
}

/** Graviton families (m7g, c6gn, t4g, r8gd, im4gn, is4gen, g5g...) are arm64; the rest x86_64. */
export function cpuArchitecture(type: string): CpuArchitecture {
  const { family } = parseInstanceType(type);
  const options = /^[a-z-]+\d+([a-z-]*)$/.exec(family)?.[1] ?? "";
  return options.includes("g") ? "arm64" : "x86_64";
}

/** Instance size, e.g. `xlarge` for m7i.xlarge. */
export function instanceSize(type: string): string {
  return parseInstanceType(type).size;
}
