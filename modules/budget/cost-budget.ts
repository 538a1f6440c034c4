import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";

/** When the budget notifies: a percentage of the limit, reached by actual or forecasted cost. */
export interface BudgetAlert {
  readonly type: "ACTUAL" | "FORECASTED";
  readonly percent: number;
}

/** 80% and 100% of the limit spent, and a forecast above the limit. */
export const DEFAULT_BUDGET_ALERTS: readonly BudgetAlert[] = [
  { type: "ACTUAL", percent: 80 },
  { type: "ACTUAL", percent: 100 },
  { type: "FORECASTED", percent: 100 },
];

/** AWS Budgets' limit of e-mail subscribers per notification. */
export const MAX_EMAIL_SUBSCRIBERS = 10;

export interface CostBudgetProps {
  /** Budget name, e.g. `upskill-prod-monthly`. */
  readonly name: string;
  /** Monthly limit, USD. */
  readonly limitUsd: number;
  /**
   * Counts only costs carrying this user tag (e.g. Environment=prod). The tag must be
   * an active cost allocation tag, or the budget sees nothing.
   */
  readonly tag: { readonly key: string; readonly value: string };
  /** Activates `tag.key` as a cost allocation tag. Only a standalone or management account may. Default: false. */
  readonly activateTag?: boolean;
  /** The alert topic (its policy must let budgets.amazonaws.com publish, its key let it encrypt). */
  readonly topicArn: string;
  /**
   * Addresses notified directly as well (at most 10). Leave out every address subscribed to the
   * topic: it would get each budget alert twice. Default: none (the topic only).
   */
  readonly emails?: readonly string[];
  /** Default: DEFAULT_BUDGET_ALERTS. */
  readonly alerts?: readonly BudgetAlert[];
  /** Default: the stack's default AWS provider (Budgets is global). */
  readonly provider?: TerraformProvider;
}

/**
 * A monthly AWS cost budget on one tag's costs, notifying the alert topic and the
 * e-mail addresses at each alert threshold.
 */
export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;
  /** The cost filter value, `user:<key>$<value>` (Budgets' TagKeyValue syntax). */
  readonly tagFilter: string;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const fail = (msg: string): never => {
      throw new Error(`CostBudget ${id}: ${msg}`);
    };
    if (!(props.limitUsd > 0) || !Number.isFinite(props.limitUsd)) fail(`limitUsd must be a positive amount, got ${props.limitUsd}`);
    const emails = props.emails ?? [];
    if (emails.length > MAX_EMAIL_SUBSCRIBERS) fail(`at most ${MAX_EMAIL_SUBSCRIBERS} e-mail addresses per notification (AWS Budgets), got ${emails.length}`);
    if (!/^[\w.:/=+\-@ ]{1,128}$/.test(props.tag.key) || props.tag.key.startsWith("aws:")) fail(`tag.key "${props.tag.key}" must be a user tag key`);
    if (Token.isUnresolved(props.tag.value) || props.tag.value.includes("$")) fail(`tag.value must be a literal without '$', got "${props.tag.value}"`);
    const alerts = props.alerts ?? DEFAULT_BUDGET_ALERTS;
    if (alerts.length === 0) fail("give at least one alert");
    alerts.forEach((a) => {
      if (!(a.percent > 0)) fail(`alert percent must be positive, got ${a.percent}`);
    });
    const seen = new Set(alerts.map((a) => `${a.type}:${a.percent}`));
    if (seen.size !== alerts.length) fail("an alert is listed twice");
    const { provider } = props;

    if (props.activateTag) {
      new CeCostAllocationTag(this, "cost-allocation-tag", { tagKey: props.tag.key, status: "Active", provider });
    }
    this.tagFilter = `user:${props.tag.key}$${props.tag.value}`;
    this.budget = new BudgetsBudget(this, "budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: String(props.limitUsd),
      limitUnit: "USD",
      costFilter: [{ name: "TagKeyValue", values: [this.tagFilter] }],
      notification: alerts.map((a) => ({
        notificationType: a.type,
        comparisonOperator: "GREATER_THAN",
        threshold: a.percent,
        thresholdType: "PERCENTAGE",
        subscriberSnsTopicArns: [props.topicArn],
        subscriberEmailAddresses: emails.length > 0 ? [...emails] : undefined,
      })),
      provider,
    });
  }
}
