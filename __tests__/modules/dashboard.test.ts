import { Testing } from "cdktf";
import { Dashboard, dashboardBody, type DashboardRow } from "../../modules/dashboard/dashboard";

const graph = (title: string) => ({ title, metrics: [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "db"]] });
const ROWS: DashboardRow[] = [
  { title: "Database", widgets: [graph("a"), graph("b"), graph("c"), graph("d")] },
  { title: "Edge", description: "us-east-1", widgets: [{ ...graph("e"), region: "us-east-1", stat: "Sum", period: 60, thresholds: [{ value: 5, label: "alarm" }] }] },
];

describe("dashboardBody", () => {
  const { widgets } = dashboardBody(ROWS, "eu-west-1");

  test("a full-width text header per row, then its graphs three to a line", () => {
    expect(widgets.map((w: any) => [w.type, w.x, w.y, w.width, w.height])).toEqual([
      ["text", 0, 0, 24, 2],
      ["metric", 0, 2, 8, 6],
      ["metric", 8, 2, 8, 6],
      ["metric", 16, 2, 8, 6],
      ["metric", 0, 8, 8, 6],
      ["text", 0, 14, 24, 2],
      ["metric", 0, 16, 8, 6],
    ]);
    expect((widgets[0] as any).properties.markdown).toBe("## Database");
    expect((widgets[5] as any).properties.markdown).toBe("## Edge\nus-east-1");
  });

  test("graphs default to the dashboard's region, Average over 5 minutes; thresholds become annotations", () => {
    expect((widgets[1] as any).properties).toEqual({
      title: "a",
      view: "timeSeries",
      stacked: false,
      region: "eu-west-1",
      stat: "Average",
      period: 300,
      metrics: [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "db"]],
    });
    expect((widgets[6] as any).properties).toMatchObject({ region: "us-east-1", stat: "Sum", period: 60, annotations: { horizontal: [{ value: 5, label: "alarm" }] } });
  });
});

describe("Dashboard", () => {
  test("writes the body as JSON into aws_cloudwatch_dashboard", () => {
    const json = JSON.parse(Testing.synthScope((s) => new Dashboard(s, "dashboard", { name: "upskill-dev", region: "eu-west-1", rows: ROWS })));
    const d = Object.values(json.resource.aws_cloudwatch_dashboard)[0] as any;
    expect(d.dashboard_name).toBe("upskill-dev");
    expect(JSON.parse(d.dashboard_body)).toEqual(dashboardBody(ROWS, "eu-west-1"));
  });

  test("refuses a bad name and an empty row", () => {
    expect(() => Testing.synthScope((s) => new Dashboard(s, "d", { name: "has space", region: "eu-west-1", rows: ROWS }))).toThrow(/name must be/);
    expect(() => Testing.synthScope((s) => new Dashboard(s, "d", { name: "x", region: "eu-west-1", rows: [{ title: "Empty", widgets: [] }] }))).toThrow(/row "Empty" has no widget/);
  });
});
