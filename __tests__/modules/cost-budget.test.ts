import { Testing } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CostBudget, type CostBudgetProps } from "../../modules/budget/cost-budget";

const BASE: CostBudgetProps = {
  name: "upskill-dev-monthly",
  limitUsd: 800,
  tag: { key: "Environment", value: "dev" },
  topicArn: "arn:aws:sns:eu-west-1:111111111111:upskill-dev-alerts",
  emails: ["ops@example.com"],
};
const synth = (props: Partial<CostBudgetProps> = {}) => Testing.synthScope((s) => new CostBudget(s, "budget", { ...BASE, ...props }));

describe("CostBudget", () => {
  test("a monthly COST budget on the environment tag's costs (Budgets' user:<key>$<value> filter)", () => {
    expect(synth()).toHaveResourceWithProperties(BudgetsBudget, {
      name: "upskill-dev-monthly",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "800",
      limit_unit: "USD",
      cost_filter: [{ name: "TagKeyValue", values: ["user:Environment$dev"] }],
    });
  });

  test("alerts at 80% and 100% actual and 100% forecasted, to the topic and the e-mails", () => {
    const budget = Object.values(JSON.parse(synth()).resource.aws_budgets_budget)[0] as any;
    const common = { comparison_operator: "GREATER_THAN", threshold_type: "PERCENTAGE", subscriber_sns_topic_arns: [BASE.topicArn], subscriber_email_addresses: ["ops@example.com"] };
    expect(budget.notification).toEqual([
      { ...common, notification_type: "ACTUAL", threshold: 80 },
      { ...common, notification_type: "ACTUAL", threshold: 100 },
      { ...common, notification_type: "FORECASTED", threshold: 100 },
    ]);
  });

  test("activates the cost allocation tag only when asked", () => {
    expect(JSON.parse(synth()).resource.aws_ce_cost_allocation_tag).toBeUndefined();
    const tag = Object.values(JSON.parse(synth({ activateTag: true })).resource.aws_ce_cost_allocation_tag)[0];
    expect(tag).toEqual({ tag_key: "Environment", status: "Active" });
  });

  test("refuses a limit that is not a positive amount, too many e-mails and an AWS tag", () => {
    expect(() => synth({ limitUsd: 0 })).toThrow(/limitUsd must be a positive amount/);
    expect(() => synth({ emails: Array.from({ length: 11 }, (_, i) => `o${i}@example.com`) })).toThrow(/at most 10 e-mail addresses/);
    expect(() => synth({ tag: { key: "aws:createdBy", value: "x" } })).toThrow(/must be a user tag key/);
    expect(() => synth({ alerts: [{ type: "ACTUAL", percent: 80 }, { type: "ACTUAL", percent: 80 }] })).toThrow(/listed twice/);
  });
});
