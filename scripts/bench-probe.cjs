// Preloaded into each benchmarked process (and its children, e.g. tsx's): records
// each process's peak resident memory at exit, one file per pid.
const fs = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(`${process.env.BENCH_RSS_FILE}.${process.pid}`, String(process.resourceUsage().maxRSS));
});
