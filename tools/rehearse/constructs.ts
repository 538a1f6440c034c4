/**
 * Which construct made a line of a synthesized stack: cdktf writes each
 * resource's construct path into its `//` metadata, so a Terraform diagnostic
 * ("on cdk.tf.json line 412, in resource ...") can point at the TypeScript.
 */
export interface ConstructIndex {
  /** The construct path of `resource.<type>.<name>` / `data.<type>.<name>` / `output.<name>`. */
  byAddress(address: string): string | undefined;
  /** The construct path of the block that holds 1-based `line` of the written JSON. */
  byLine(line: number): string | undefined;
}

interface Span {
  readonly start: number;
  readonly address: string;
}

const metadataPath = (block: any): string | undefined => (typeof block?.["//"]?.metadata?.path === "string" ? block["//"].metadata.path : undefined);

/** `text` must be `JSON.stringify(json, null, 2)`: its indentation says where each block starts. */
export function indexConstructs(json: any, text: string): ConstructIndex {
  const paths = new Map<string, string>();
  for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
    for (const [type, blocks] of Object.entries<any>(json[kind] ?? {})) {
      for (const [name, block] of Object.entries<any>(blocks ?? {})) {
        const p = metadataPath(block);
        if (p) paths.set(`${prefix}${type}.${name}`, p);
      }
    }
  }
  for (const [name, block] of Object.entries<any>(json.output ?? {})) {
    const p = metadataPath(block);
    if (p) paths.set(`output.${name}`, p);
  }
  const spans: Span[] = [];
  let section = "";
  let type = "";
  text.split("\n").forEach((line, i) => {
    const m = line.match(/^( *)"((?:[^"\\]|\\.)*)": [{[]/);
    if (!m) return;
    const depth = m[1].length / 2;
    const key = JSON.parse(`"${m[2]}"`) as string;
    if (depth === 1) section = key;
    else if (depth === 2 && section === "output") spans.push({ start: i + 1, address: `output.${key}` });
    else if (depth === 2) type = key;
    else if (depth === 3 && section === "resource") spans.push({ start: i + 1, address: `${type}.${key}` });
    else if (depth === 3 && section === "data") spans.push({ start: i + 1, address: `data.${type}.${key}` });
    if (depth === 1 && section !== "resource" && section !== "data" && section !== "output") spans.push({ start: i + 1, address: "" });
  });
  return {
    byAddress: (address) => paths.get(address.replace(/\[[^\]]*\]$/, "")),
    byLine: (line) => {
      let found: Span | undefined;
      for (const s of spans) {
        if (s.start > line) break;
        found = s;
      }
      return found?.address ? paths.get(found.address) : undefined;
    },
  };
}
