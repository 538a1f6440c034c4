import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { environmentFileSchema, type EnvironmentConfig, type EnvironmentFile } from "./schema";
import { ALL_RULES, type ConfigProblem } from "./rules";

export interface LoadEnvironmentsOptions {
  /** Folder holding `<env>.yaml` files. */
  readonly dir: string;
  /** Environments to load; default: every `.yaml` file in the folder. */
  readonly only?: readonly string[];
  /** How the folder is named in messages. Default: `dir` relative to the working directory. */
  readonly displayDir?: string;
}

/** Every problem found in the configuration, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * Reads, type-checks and rule-checks the environment files. Reports every
 * problem of every selected file at once, as `<file>: <field.path>: <value> — <rule>`,
 * by throwing a ConfigError; returns the environments only when all are valid.
 */
export function loadEnvironments(options: LoadEnvironmentsOptions): EnvironmentConfig[] {
  const displayDir = options.displayDir ?? (path.relative(process.cwd(), options.dir) || ".");
  if (!fs.existsSync(options.dir) || !fs.statSync(options.dir).isDirectory()) {
    throw new ConfigError([`${displayDir}: the configuration folder does not exist`]);
  }
  const known = fs
    .readdirSync(options.dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
  const selected = options.only && options.only.length > 0 ? [...options.only] : known;
  const unknown = selected.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((e) => `UPSKILL_ENVIRONMENTS: ${JSON.stringify(e)} — is not an environment of ${displayDir}; known environments: ${known.join(", ") || "(none)"}`),
    );
  }
  if (selected.length === 0) throw new ConfigError([`${displayDir}: holds no <env>.yaml file`]);

  const problems: string[] = [];
  const environments: EnvironmentConfig[] = [];
  for (const name of selected) {
    const file = `${displayDir}/${name}.yaml`;
    const result = loadOne(path.join(options.dir, `${name}.yaml`), name);
    problems.push(...result.problems.map((p) => formatProblem(file, p)));
    if (result.environment) environments.push(result.environment);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}

/** Parses the selection in UPSKILL_ENVIRONMENTS (comma-separated, blanks ignored). */
export function parseEnvironmentList(value: string | undefined): string[] | undefined {
  const list = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}

interface LoadResult {
  readonly environment?: EnvironmentConfig;
  readonly problems: readonly ConfigProblem[];
}

function loadOne(file: string, name: string): LoadResult {
  if (!ENV_NAME.test(name)) {
    return { problems: [{ path: "(file name)", value: name, rule: "must be 1-16 lower-case letters, digits and hyphens, a letter first (it names every resource)" }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: "(yaml)",
        value: `line ${lineCounter.linePos(e.pos[0]).line}, column ${lineCounter.linePos(e.pos[0]).col}`,
        rule: `is not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const raw: unknown = doc.toJS();
  const parsed = environmentFileSchema.safeParse(raw ?? {});
  if (parsed.success) {
    const environment = withDerived(name, parsed.data);
    return { environment, problems: runRules(environment) };
  }
  // Type errors: still run every semantic rule that reads only fields that type-checked,
  // so that one run lists every problem of the file.
  return { problems: [...zodProblems(parsed.error, raw), ...runRules(partialEnvironment(name, raw))] };
}

/** Thrown when a rule reads a top-level field that failed its type check. */
class FieldNotValid extends Error {}

function runRules(environment: EnvironmentConfig): ConfigProblem[] {
  return ALL_RULES.flatMap((rule) => {
    try {
      return rule(environment);
    } catch (e) {
      if (e instanceof FieldNotValid) return [];
      throw e;
    }
  });
}

/**
 * The environment with each top-level field parsed on its own; reading a field
 * that failed (or a name derived from one) throws FieldNotValid.
 */
function partialEnvironment(name: string, raw: unknown): EnvironmentConfig {
  const input = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, schema] of Object.entries(environmentFileSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(input[key]);
    if (r.success) fields[key] = r.data;
    else invalid.add(key);
  }
  const guard = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "string" && invalid.has(key)) throw new FieldNotValid(key);
        return Reflect.get(t, key, receiver);
      },
    });
  const file = guard(fields) as unknown as EnvironmentFile;
  const derived = {
    name,
    get isProduction() {
      return file.production ?? name === "prod";
    },
    get names() {
      return derivedNames(name, file);
    },
  };
  return guard(new Proxy(derived, { get: (t, k, r) => (k in t ? Reflect.get(t, k, r) : Reflect.get(file, k)) })) as unknown as EnvironmentConfig;
}

function withDerived(name: string, file: EnvironmentFile): EnvironmentConfig {
  return { ...file, name, isProduction: file.production ?? name === "prod", names: derivedNames(name, file) };
}

function derivedNames(name: string, file: EnvironmentFile): EnvironmentConfig["names"] {
  const prefix = `${file.project}-${name}`;
  return {
    prefix,
    get stateBucket() {
      return file.state.bucket ?? `${prefix}-tfstate-${file.accountId}`;
    },
    get lockTable() {
      return file.state.lockTable ?? `${prefix}-tflock`;
    },
    get cluster() {
      return file.cluster.name ?? prefix;
    },
    get postgres() {
      return file.data.postgres.identifier ?? `${prefix}-postgres`;
    },
  };
}

function zodProblems(error: z.ZodError, raw: unknown): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const p = [...issue.path, key];
        return { path: formatPath(p), value: valueAt(raw, p), rule: "is not a known setting (check its spelling and where it is nested)" };
      });
    }
    const value = valueAt(raw, issue.path);
    const rule = value === undefined ? "is required" : issue.message;
    return [{ path: formatPath(issue.path), value, rule }];
  });
}

function valueAt(raw: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const key of p) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

export function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "") || "(root)";
}

function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(file: string, p: ConfigProblem): string {
  return `${file}: ${p.path}: ${formatValue(p.value)} — ${p.rule}`;
}
