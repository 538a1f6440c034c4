import { synthesizedApp } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/** Baselines of every stack: state backend and provider guards. */
describe("policy: state and providers", () => {
  const app = synthesizedApp();

  test("the app synthesizes the shipped environments", () => {
    expect(app.stacks.size).toBeGreaterThan(0);
    for (const env of SHIPPED_ENVIRONMENTS) expect(app.stacks.has(`${env}-bootstrap`)).toBe(true);
  });

  test("every stack but bootstrap uses the S3 backend with both locks", () => {
    const offenders = [...app.stacks]
      .filter(([id]) => !id.endsWith("-bootstrap"))
      .filter(([, json]) => {
        const s3 = json.terraform?.backend?.s3;
        return !s3 || s3.encrypt !== true || !s3.dynamodb_table || s3.use_lockfile !== true;
      })
      .map(([id]) => id);
    expect(offenders).toEqual([]);
  });

  test("every bootstrap stack keeps its state locally", () => {
    for (const [id, json] of app.stacks) if (id.endsWith("-bootstrap")) expect(json.terraform?.backend?.local).toBeDefined();
  });

  test("every AWS provider has allowed_account_ids and the mandatory default tags", () => {
    const offenders: string[] = [];
    for (const [id, json] of app.stacks) {
      for (const p of json.provider?.aws ?? []) {
        const tags = p.default_tags?.[0]?.tags ?? {};
        const missing = ["Project", "Environment", "Layer", "ManagedBy"].filter((t) => !tags[t]);
        if (!(p.allowed_account_ids?.length > 0) || missing.length > 0) offenders.push(`${id}/provider.aws${p.alias ? `.${p.alias}` : ""}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
