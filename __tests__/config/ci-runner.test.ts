import * as fs from "node:fs";
import { loadEnvironments } from "../../config/load";
import { editedConfigDir, problemsAfter } from "../support/config-files";
import { shippedEnvironment } from "../support/fixtures";

const GITHUB_HOSTED = ["cicd.runner", { type: "github-hosted" }] as const;

describe("config: where CI runs (cicd.runner) and whether it reaches the cluster", () => {
  test("every shipped environment runs CI on CodeBuild runners with a private-only endpoint", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const e = shippedEnvironment(env);
      expect(e.cicd.runner.type).toBe("codebuild");
      expect(e.cluster.publicAccessCidrs).toEqual([]);
      expect(e.cluster.endpointPrivateAccess).toBe(true);
    }
  });

  test("defaults: CodeBuild runners, BUILD_GENERAL1_MEDIUM, the standard image, 240 minutes (the deploy role's session)", () => {
    for (const runner of [undefined, { type: "codebuild" }]) {
      const dir = editedConfigDir("staging", [["cicd.runner", runner]]);
      try {
        const [env] = loadEnvironments({ dir, only: ["staging"], displayDir: "config" });
        expect(env!.cicd.runner).toEqual({ type: "codebuild", computeType: "BUILD_GENERAL1_MEDIUM", image: "aws/codebuild/standard:7.0", timeoutMinutes: 240 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  describe("schema", () => {
    test("an unknown runner type is refused", () => {
      expect(problemsAfter("dev", [["cicd.runner", { type: "self-hosted" }]])).toEqual([
        'config/dev.yaml: cicd.runner.type: "self-hosted" — must be { type: codebuild, ... } or { type: github-hosted }',
      ]);
    });

    test("an unknown compute type, a timeout outside CodeBuild's bounds and an unknown key are refused at once", () => {
      expect(problemsAfter("dev", [["cicd.runner", { type: "codebuild", computeType: "BUILD_GENERAL1_HUGE", timeoutMinutes: 3000, fleet: "x" }]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: cicd\.runner\.computeType: "BUILD_GENERAL1_HUGE" — must be one of BUILD_GENERAL1_SMALL, /),
        expect.stringMatching(/^config\/dev\.yaml: cicd\.runner\.timeoutMinutes: 3000 — /),
        'config/dev.yaml: cicd.runner.fleet: "x" — is not a known setting (check its spelling and where it is nested)',
      ]);
    });

    test("an image must be a CodeBuild curated image or an ECR image", () => {
      expect(problemsAfter("dev", [["cicd.runner.image", "ubuntu:latest"]])).toEqual([
        'config/dev.yaml: cicd.runner.image: "ubuntu:latest" — must be a CodeBuild curated image (aws/codebuild/<name>:<version>) or an ECR image of an account',
      ]);
      expect(problemsAfter("dev", [["cicd.runner.image", "aws/codebuild/amazonlinux-x86_64-standard:5.0"]])).toEqual([]);
      expect(problemsAfter("dev", [["cicd.runner.image", "111111111111.dkr.ecr.eu-west-1.amazonaws.com/ci/runner:2026.1"]])).toEqual([]);
    });

    test("endpointPrivateAccess is a boolean", () => {
      expect(problemsAfter("dev", [["cluster.endpointPrivateAccess", "yes"]])).toEqual([expect.stringMatching(/^config\/dev\.yaml: cluster\.endpointPrivateAccess: "yes" — /)]);
    });
  });

  describe("production", () => {
    test("GitHub-hosted runners are refused: they reach only a public endpoint open to the internet", () => {
      expect(problemsAfter("prod", [GITHUB_HOSTED])).toEqual([
        'config/prod.yaml: cicd.runner.type: "github-hosted" — a production environment\'s CI must run inside the VPC (codebuild): GitHub-hosted runners reach the cluster only through a public endpoint open to 0.0.0.0/0, which production refuses (docs/ci-runners.md)',
      ]);
    });

    test("0.0.0.0/0 is refused even with GitHub-hosted runners (both problems at once)", () => {
      expect(problemsAfter("prod", [GITHUB_HOSTED, ["cluster.publicAccessCidrs", ["0.0.0.0/0"]]])).toEqual([
        'config/prod.yaml: cluster.publicAccessCidrs[0]: "0.0.0.0/0" — opens the Kubernetes API endpoint to the whole internet; list the CIDRs of your offices or VPN, or none to turn the public endpoint off (CI runs in the VPC with cicd.runner.type codebuild)',
        expect.stringMatching(/^config\/prod\.yaml: cicd\.runner\.type: "github-hosted" — a production environment's CI must run inside the VPC/),
      ]);
    });

    test("a public endpoint limited to real addresses is accepted next to the private one", () => {
      expect(problemsAfter("prod", [["cluster.publicAccessCidrs", ["198.18.0.0/15"]]])).toEqual([
        'config/prod.yaml: cluster.publicAccessCidrs[0]: "198.18.0.0/15" — is reserved for benchmarking (RFC 2544): no client comes from it',
      ]);
      expect(problemsAfter("prod", [["cluster.publicAccessCidrs", ["52.94.0.0/22"]]])).toEqual([]);
    });
  });

  describe("CodeBuild runners", () => {
    test("need the private endpoint, the one they reach from the VPC", () => {
      expect(problemsAfter("staging", [["cluster.endpointPrivateAccess", false], ["cluster.publicAccessCidrs", ["52.94.0.0/22"]]])).toEqual([
        "config/staging.yaml: cluster.endpointPrivateAccess: false — CI runs on CodeBuild runners in the VPC (cicd.runner.type codebuild), which reach the cluster through its private endpoint only; set it to true",
      ]);
    });

    test("need 443 to the internet (GitHub, AWS APIs through NAT)", () => {
      expect(problemsAfter("dev", [["network.internetEgressPorts", [8443]]])).toEqual([
        "config/dev.yaml: network.internetEgressPorts: [8443] — must include 443: the CodeBuild runners (cicd.runner.type codebuild) reach GitHub and the AWS APIs through NAT on HTTPS",
      ]);
    });

    test("name a GitHub connection CodeConnections accepts (32 characters)", () => {
      // 32 characters is the bound: <project>-<env>-gh; the other names a long project gives are other rules' concern.
      const connectionProblems = (env: string, project: string) => problemsAfter(env, [["project", project]]).filter((p) => p.includes("GitHub connection"));
      expect(connectionProblems("dev", "a-project-name-too-longer")).toEqual([]); // a-project-name-too-longer-dev-gh: 32
      expect(connectionProblems("staging", "a-project-name-much-too-long")).toEqual([
        'config/staging.yaml: project: "a-project-name-much-too-long" — gives the CI runners\' GitHub connection the name a-project-name-much-too-long-staging-gh (39 characters); CodeConnections allows 32: use a shorter project or environment name',
      ]);
    });
  });

  describe("GitHub-hosted runners outside production", () => {
    test("need the public endpoint open to 0.0.0.0/0", () => {
      expect(problemsAfter("dev", [GITHUB_HOSTED])).toEqual([
        "config/dev.yaml: cluster.publicAccessCidrs: [] — CI runs on GitHub-hosted runners (cicd.runner.type github-hosted), whose addresses are not enumerable within EKS's 40 CIDRs: the platform and app layers can be planned only with [0.0.0.0/0]; better, run CI in the VPC with cicd.runner.type codebuild",
      ]);
    });

    test("with 0.0.0.0/0 the configuration is accepted (the only way they reach the API)", () => {
      expect(problemsAfter("dev", [GITHUB_HOSTED, ["cluster.publicAccessCidrs", ["0.0.0.0/0"]]])).toEqual([]);
    });

    test("0.0.0.0/0 stays refused with CodeBuild runners", () => {
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["0.0.0.0/0"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[0]: "0.0.0.0/0" — opens the Kubernetes API endpoint to the whole internet; list the CIDRs of your offices or VPN, or none to turn the public endpoint off (CI runs in the VPC with cicd.runner.type codebuild)',
      ]);
    });
  });

  test("a cluster with neither endpoint is refused (EKS requires one)", () => {
    expect(problemsAfter("dev", [GITHUB_HOSTED, ["cluster.endpointPrivateAccess", false]])).toEqual([
      "config/dev.yaml: cluster.endpointPrivateAccess: false — with no publicAccessCidrs the cluster would have no API endpoint at all, which EKS refuses; keep the private endpoint on",
      expect.stringMatching(/^config\/dev\.yaml: cluster\.publicAccessCidrs: \[\] — CI runs on GitHub-hosted runners/),
    ]);
  });
});
