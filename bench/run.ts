/** `npm run bench`: prints each benchmark's figures as a table. Figures, not a test: machines are noisy. */
import os from "node:os";
import { benchAssessment } from "./assessment.js";
import { benchFuzz } from "./fuzz.js";
import { benchKnowledge } from "./knowledge.js";
import { benchSlack } from "./slack.js";
import { type BenchRow, printTable } from "./table.js";

const suites: [string, () => Promise<BenchRow[]>][] = [
  ["knowledge", benchKnowledge],
  ["assessment", benchAssessment],
  ["slack", benchSlack],
  ["fuzz", benchFuzz],
];
const only = process.argv[2];
console.log(
  `maturity-bot benchmarks — node ${process.version}, ${os.cpus().length} cpu(s), ${os.platform()}`,
);
let failed = false;
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}`);
  try {
    const rows = await run();
    printTable(rows);
    if (rows.some((r) => r.ok === false)) failed = true;
  } catch (error) {
    failed = true;
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (failed) console.log("\nsome targets were not met (see the 'met' column)");
