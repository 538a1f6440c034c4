import type { Rehearsal, StackResult } from "./rehearse";

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));

function plannedCell(r: StackResult): string {
  if (!r.planned) return "-";
  const { add, change, destroy } = r.planned;
  return change || destroy ? `${add} add, ${change} change, ${destroy} destroy` : String(add);
}

/** One table per environment: stack, resources planned, result, seconds. */
export function formatTables(rehearsal: Rehearsal): string {
  const envs = [...new Set(rehearsal.stacks.map((s) => s.environment))];
  const out: string[] = [];
  for (const env of envs) {
    const rows = rehearsal.stacks.filter((s) => s.environment === env).map((s) => [s.id, plannedCell(s), s.result, s.seconds ? s.seconds.toFixed(1) : "-"]);
    const header = ["stack", "resources planned", "result", "seconds"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i])).join(" | ")} |`;
    out.push(`### ${env}`, "", line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line), "");
  }
  return out.join("\n");
}

/**
 * Terraform's diagnostics verbatim, each under the stack, the step and the
 * construct that made the resource, so a failure points at the TypeScript.
 */
export function formatDiagnostics(rehearsal: Rehearsal): string {
  const out: string[] = [];
  for (const s of rehearsal.stacks) {
    for (const d of s.diagnostics) {
      const status = d.severity === "error" ? "ERROR" : d.allowedBecause ? "allowed warning" : "WARNING (not allowed)";
      out.push(`${s.id} · terraform ${d.step} · ${status}${d.construct ? ` · construct ${d.construct}` : ""}`);
      out.push(d.text);
      if (d.allowedBecause) out.push(`  allowed because: ${d.allowedBecause}`);
      out.push("");
    }
  }
  return out.join("\n");
}
