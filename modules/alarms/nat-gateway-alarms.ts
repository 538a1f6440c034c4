import { Construct } from "constructs";
import { Token } from "cdktf";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { memberLabel, membersOf, metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface NatGatewayAlarmsProps extends TierAlarmsProps {
  /** One per NAT gateway (one, or one per AZ). */
  readonly natGatewayIds: readonly string[];
  /** Port-allocation errors per period tolerated (0: any fires). */
  readonly portAllocationErrors: number;
  /** Dropped packets per period tolerated. */
  readonly droppedPackets: number;
}

const NS = "AWS/NATGateway";

/**
 * Per NAT gateway: port-allocation errors (too many concurrent connections to one
 * destination) and dropped packets. Both are counts published only when non-zero
 * on idle gateways, so silence is not breaching.
 */
export class NatGatewayAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: NatGatewayAlarmsProps) {
    super(scope, id);
    if (!(props.portAllocationErrors >= 0 && props.droppedPackets >= 0)) throw new Error(`NatGatewayAlarms ${id}: thresholds must be 0 or more`);
    const listed = !Token.isUnresolved(props.natGatewayIds);
    if (listed && props.natGatewayIds.length === 0) throw new Error(`NatGatewayAlarms ${id}: natGatewayIds is empty; leave the construct out when there is no NAT gateway`);
    const p = props.prefix;
    for (const nat of membersOf(props.natGatewayIds)) {
      const label = memberLabel(nat);
      const common = { namespace: NS, dimensions: { NatGatewayId: nat.id }, statistic: "Sum" as const, comparison: "GreaterThanThreshold" as const, treatMissingData: "notBreaching" as const, forEach: nat.forEach };
      this.alarms.push(
        metricAlarm(this, `port-allocation-errors-${nat.suffix}`, props, {
          ...common,
          name: `${p}-nat-port-allocation-errors-${label}`,
          description: `NAT gateway ${label} failed to allocate source ports more than ${props.portAllocationErrors} times in a period: too many concurrent connections to one destination.`,
          metricName: "ErrorPortAllocation",
          threshold: props.portAllocationErrors,
        }),
        metricAlarm(this, `dropped-packets-${nat.suffix}`, props, {
          ...common,
          name: `${p}-nat-dropped-packets-${label}`,
          description: `NAT gateway ${label} dropped more than ${props.droppedPackets} packets in a period.`,
          metricName: "PacketsDropCount",
          threshold: props.droppedPackets,
        }),
      );
    }
    const lines = (metric: string) =>
      listed
        ? props.natGatewayIds.map((n, i) => [NS, metric, "NatGatewayId", n, { stat: "Sum", label: `nat ${i + 1}` }])
        : [[{ expression: `SEARCH('{${NS},NatGatewayId} MetricName="${metric}"', 'Sum', 300)`, id: "nats", label: "" }]];
    this.widgets = [
      { title: "Port-allocation errors", metrics: lines("ErrorPortAllocation"), stat: "Sum", thresholds: [{ value: props.portAllocationErrors, label: "alarm" }] },
      { title: "Dropped packets", metrics: lines("PacketsDropCount"), stat: "Sum", thresholds: [{ value: props.droppedPackets, label: "alarm" }] },
      { title: "Bytes out to the internet", metrics: lines("BytesOutToDestination"), stat: "Sum" },
    ];
  }
}
