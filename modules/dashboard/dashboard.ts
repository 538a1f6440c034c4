import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";

/** One line of a metric widget: `[namespace, metric, dim, value, ..., { stat, label }]` or `[{ expression, label, id }]`. */
export type MetricLine = readonly unknown[];

/** A graph of one or more metrics (CloudWatch's `metric` widget). */
export interface MetricWidget {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  /** Default: Average. */
  readonly stat?: string;
  /** Seconds. Default: 300. */
  readonly period?: number;
  /** Region the metrics live in. Default: the dashboard's region. */
  readonly region?: string;
  /** Horizontal lines, e.g. the alarm thresholds. Default: none. */
  readonly thresholds?: readonly { readonly value: number; readonly label: string }[];
  /** Default: timeSeries. */
  readonly view?: "timeSeries" | "singleValue";
  /** Default: false. */
  readonly stacked?: boolean;
}

/** A tier of the dashboard: a header, then its graphs left to right. */
export interface DashboardRow {
  readonly title: string;
  /** One line under the header. Default: none. */
  readonly description?: string;
  readonly widgets: readonly MetricWidget[];
}

export interface DashboardProps {
  /** Letters, digits, '-' and '_', at most 255 characters. */
  readonly name: string;
  /** The region of the stack's provider: the default region of every widget. */
  readonly region: string;
  readonly rows: readonly DashboardRow[];
  /** Graphs per line. Default: 3 (8 of CloudWatch's 24 grid columns each). */
  readonly widgetsPerLine?: number;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

const GRID_WIDTH = 24;
const HEADER_HEIGHT = 2;
const GRAPH_HEIGHT = 6;

/**
 * The dashboard body: each row a full-width text header, then its graphs
 * placed left to right on CloudWatch's 24-column grid.
 */
export function dashboardBody(rows: readonly DashboardRow[], region: string, widgetsPerLine = 3): { widgets: Record<string, unknown>[] } {
  const width = Math.floor(GRID_WIDTH / widgetsPerLine);
  const widgets: Record<string, unknown>[] = [];
  let y = 0;
  for (const row of rows) {
    widgets.push({
      type: "text",
      x: 0,
      y,
      width: GRID_WIDTH,
      height: HEADER_HEIGHT,
      properties: { markdown: `## ${row.title}${row.description ? `\n${row.description}` : ""}` },
    });
    y += HEADER_HEIGHT;
    row.widgets.forEach((w, i) => {
      const properties: Record<string, unknown> = {
        title: w.title,
        view: w.view ?? "timeSeries",
        stacked: w.stacked ?? false,
        region: w.region ?? region,
        stat: w.stat ?? "Average",
        period: w.period ?? 300,
        metrics: w.metrics,
      };
      if (w.thresholds && w.thresholds.length > 0) properties.annotations = { horizontal: w.thresholds.map((t) => ({ value: t.value, label: t.label })) };
      widgets.push({ type: "metric", x: (i % widgetsPerLine) * width, y: y + Math.floor(i / widgetsPerLine) * GRAPH_HEIGHT, width, height: GRAPH_HEIGHT, properties });
    });
    y += Math.ceil(row.widgets.length / widgetsPerLine) * GRAPH_HEIGHT;
  }
  return { widgets };
}

/** A CloudWatch dashboard with a row per tier (see `dashboardBody`). */
export class Dashboard extends Construct {
  readonly dashboardName: string;
  readonly dashboardArn: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(props.name)) throw new Error(`Dashboard ${id}: name must be 1-255 letters, digits, '-' and '_', got "${props.name}"`);
    const perLine = props.widgetsPerLine ?? 3;
    if (!Number.isInteger(perLine) || perLine < 1 || perLine > GRID_WIDTH) throw new Error(`Dashboard ${id}: widgetsPerLine must be 1-${GRID_WIDTH}, got ${perLine}`);
    const empty = props.rows.find((r) => r.widgets.length === 0);
    if (empty) throw new Error(`Dashboard ${id}: row "${empty.title}" has no widget; leave the row out instead`);
    const dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: JSON.stringify(dashboardBody(props.rows, props.region, perLine)),
      provider: props.provider,
    });
    this.dashboardName = dashboard.dashboardName;
    this.dashboardArn = dashboard.dashboardArn;
  }
}
