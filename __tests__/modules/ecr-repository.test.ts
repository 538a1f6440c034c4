import { Testing } from "cdktf";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepository, type EcrRepositoryProps } from "../../modules/ecr-repository/ecr-repository";
import { ecrLifecycleRules } from "../../modules/ecr-repository/lifecycle-policy";
import { parseSynth, resourcesOf } from "../support/fixtures";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/app";

function synthRepo(props: Partial<EcrRepositoryProps> = {}) {
  return Testing.synthScope((scope) => {
    new EcrRepository(scope, "api", { name: "upskill-dev/api", kmsKeyArn: KEY, keepImages: 10, ...props });
  });
}

function lifecycleRules(synth: string): any[] {
  const policies = Object.values(resourcesOf(parseSynth(synth), "aws_ecr_lifecycle_policy"));
  expect(policies).toHaveLength(1);
  return JSON.parse(policies[0].policy).rules;
}

describe("EcrRepository", () => {
  test("immutable tags, scan on push, KMS with the given key, no force delete, prevent_destroy", () => {
    const synth = synthRepo();
    expect(synth).toHaveResourceWithProperties(EcrRepositoryResource, {
      name: "upskill-dev/api",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the lifecycle policy belongs to the repository, expires untagged images after 14 days and keeps the newest N", () => {
    const synth = synthRepo();
    const policy = Object.values(resourcesOf(parseSynth(synth), "aws_ecr_lifecycle_policy"))[0];
    const repoName = Object.keys(resourcesOf(parseSynth(synth), "aws_ecr_repository"))[0];
    expect(policy.repository).toBe(`\${aws_ecr_repository.${repoName}.name}`);
    expect(lifecycleRules(synth)).toEqual([
      {
        rulePriority: 1,
        description: "Expire untagged images after 14 days",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: "Keep the newest 10 images",
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
        action: { type: "expire" },
      },
    ]);
  });

  test("keepImages and untaggedExpiryDays set the counts", () => {
    const rules = lifecycleRules(synthRepo({ keepImages: 50, untaggedExpiryDays: 7 }));
    expect(rules.map((r) => r.selection.countNumber)).toEqual([7, 50]);
  });

  test("the tagStatus any rule comes last, as ECR requires", () => {
    const rules = ecrLifecycleRules(3, 1);
    expect(rules[rules.length - 1].selection.tagStatus).toBe("any");
    expect(rules.map((r) => r.rulePriority)).toEqual([1, 2]);
  });

  test("a chart repository may be nested under a namespace path", () => {
    expect(synthRepo({ name: "upskill-dev/charts/upskill-api" })).toHaveResourceWithProperties(EcrRepositoryResource, { name: "upskill-dev/charts/upskill-api" });
  });

  test("refuses bad names and counts with what to change", () => {
    expect(() => synthRepo({ name: "Upskill/API" })).toThrow(/EcrRepository api: name "Upskill\/API" must be 2-256 lower-case/);
    expect(() => synthRepo({ name: "upskill//api" })).toThrow(/must be 2-256 lower-case/);
    expect(() => synthRepo({ keepImages: 0 })).toThrow("EcrRepository api: keepImages must be a whole number of at least 1, got 0");
    expect(() => synthRepo({ untaggedExpiryDays: 0 })).toThrow("EcrRepository api: untaggedExpiryDays must be a whole number of at least 1, got 0");
  });
});
