/** Where database dumps go in the backups bucket, shared by the writer (the CronJob), the bucket's metrics and the alarm. */

/** Key prefix: `postgres/<yyyy>/<mm>/<dd>/<database>-<timestamp>.dump`. */
export const DUMP_PREFIX = "postgres/";
/** The backups bucket's request-metrics filter over that prefix (its `PutRequests` prove a dump arrived). */
export const DUMP_METRICS_FILTER = "postgres-dumps";
