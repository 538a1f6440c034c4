import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadEnvironments } from "../../config/load";
import { editedConfigDir, problemsAfter } from "../support/config-files";

describe("config: identity, regions and AZs", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  test("account id is 12 digits", () => {
    expect(problemsAfter("dev", [["accountId", "12345"]])).toEqual([
      'config/dev.yaml: accountId: "12345" — must be a 12-digit AWS account id, quoted as a string',
    ]);
  });

  test("DR region differs from the primary", () => {
    expect(problemsAfter("dev", [["drRegion", "eu-west-1"]])).toEqual([
      'config/dev.yaml: drRegion: "eu-west-1" — must differ from region (eu-west-1) so a regional outage spares the copies',
    ]);
  });

  test("prod needs 3 AZs, others 2", () => {
    expect(problemsAfter("prod", [["availabilityZones", ["eu-west-1a", "eu-west-1b"]]])).toEqual([
      'config/prod.yaml: availabilityZones: ["eu-west-1a","eu-west-1b"] — a production environment needs at least 3 availability zones',
    ]);
    expect(problemsAfter("dev", [["availabilityZones", ["eu-west-1a"]]])).toContain(
      'config/dev.yaml: availabilityZones: ["eu-west-1a"] — an environment needs at least 2 availability zones',
    );
  });

  test("AZ names belong to the region", () => {
    expect(problemsAfter("dev", [["availabilityZones", ["eu-west-1a", "us-east-1b"]]])).toEqual([
      'config/dev.yaml: availabilityZones[1]: "us-east-1b" — must be an availability zone of eu-west-1, such as eu-west-1a',
    ]);
  });

  test("an AZ is listed once", () => {
    expect(problemsAfter("dev", [["availabilityZones", ["eu-west-1a", "eu-west-1b", "eu-west-1a"]]])).toEqual([
      'config/dev.yaml: availabilityZones[2]: "eu-west-1a" — is listed twice',
    ]);
  });

  test("a derived state bucket name must be one S3 accepts", () => {
    const project = "a".repeat(40);
    expect(problemsAfter("dev", [["project", project]])).toContainEqual(
      `config/dev.yaml: project: "${project}" — gives the state bucket name ${project}-dev-tfstate-111111111111, which S3 refuses (3-63 lower-case letters, digits, '.', '-')`,
    );
  });

  test("a region must be an AWS region", () => {
    expect(problemsAfter("dev", [["drRegion", "mars-north-1"]])).toEqual([
      'config/dev.yaml: drRegion: "mars-north-1" — must be an AWS region code (e.g. eu-west-1), got "mars-north-1"',
    ]);
  });

  test("domain names are valid", () => {
    expect(problemsAfter("dev", [["domain.name", "not a domain"]])).toEqual([
      'config/dev.yaml: domain.name: "not a domain" — must be a lower-case DNS name such as app.example.com',
    ]);
  });

  test("the state bucket name is one S3 accepts", () => {
    expect(problemsAfter("dev", [["state.bucket", "Bad_Bucket"]])).toEqual([
      expect.stringMatching(/^config\/dev\.yaml: state\.bucket: "Bad_Bucket" — must be 3-63 characters/),
    ]);
  });

  test("derived names must be ones AWS accepts", () => {
    const problems = problemsAfter("dev", [["cluster.name", "-bad"], ["data.postgres.identifier", "Bad--id"]]);
    expect(problems).toEqual([
      'config/dev.yaml: cluster.name: "-bad" — gives a cluster name EKS refuses (1-100 letters, digits, \'-\', \'_\', starting with a letter or digit)',
      "config/dev.yaml: data.postgres.identifier: \"Bad--id\" — gives the RDS identifier Bad--id, which RDS refuses (1-63 lower-case letters, digits and hyphens, a letter first, no '--', no trailing '-')",
    ]);
  });

  test("an unknown key is refused", () => {
    expect(problemsAfter("dev", [["network.vpcCdr", "10.0.0.0/16"]])).toEqual([
      'config/dev.yaml: network.vpcCdr: "10.0.0.0/16" — is not a known setting (check its spelling and where it is nested)',
    ]);
  });

  test("a missing field is reported as required", () => {
    expect(problemsAfter("dev", [["region", undefined]])).toEqual(["config/dev.yaml: region: (missing) — is required"]);
  });

  test("an environment file name must make valid resource names", () => {
    const dir = editedConfigDir("dev", [], { "Dev_2.yaml": "accountId: '111111111111'\n" });
    expect(() => loadEnvironments({ dir, only: ["Dev_2"], displayDir: "config" })).toThrow(
      'config/Dev_2.yaml: (file name): "Dev_2" — must be 1-16 lower-case letters, digits and hyphens, a letter first (it names every resource)',
    );
  });

  test("a YAML syntax error names the file and the line", () => {
    const dir = editedConfigDir("dev", [], { "qa.yaml": "accountId: '111111111111'\nregion: [eu-west-1\n" });
    expect(() => loadEnvironments({ dir, only: ["qa"], displayDir: "config" })).toThrow(/config\/qa\.yaml: \(yaml\): "line \d+, column \d+" — is not valid YAML/);
  });

  test("a missing configuration folder is reported", () => {
    expect(() => loadEnvironments({ dir: "/nonexistent/upskill", displayDir: "elsewhere" })).toThrow("elsewhere: the configuration folder does not exist");
  });

  test("problems of every selected file are reported together", () => {
    const dir = editedConfigDir("dev", [["accountId", "1"]]);
    let problems: readonly string[] = [];
    try {
      loadEnvironments({ dir, displayDir: "config" });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual(['config/dev.yaml: accountId: "1" — must be a 12-digit AWS account id, quoted as a string']);
    const both = editedConfigDir("dev", [["accountId", "1"]], { "prod.yaml": fs.readFileSync(path.join(dir, "prod.yaml"), "utf8").replace('"333333333333"', '"3"') });
    try {
      loadEnvironments({ dir: both, displayDir: "config" });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      'config/dev.yaml: accountId: "1" — must be a 12-digit AWS account id, quoted as a string',
      'config/prod.yaml: accountId: "3" — must be a 12-digit AWS account id, quoted as a string',
    ]);
  });

  test("every problem of a file is reported at once", () => {
    const problems = problemsAfter("prod", [
      ["accountId", "1"],
      ["network.natGateways", "some"],
      ["observability.alarmEmails", ["not-an-email"]],
    ]);
    expect(problems).toHaveLength(3);
  });
});
