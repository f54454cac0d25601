/**
 * `npm run bench [suite]`: prints each suite's figures as a table beside their baselines and writes them
 * to bench/results.json. Figures, not a test: machines are noisy, so figures are medians of 3 runs with
 * their range.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchAssessment } from "./assessment.js";
import { benchFanout } from "./fanout.js";
import { benchFuzz } from "./fuzz.js";
import { benchGrowth } from "./growth.js";
import { benchKnowledge } from "./knowledge.js";
import { benchSlack } from "./slack.js";
import { type BenchRow, printTable } from "./table.js";
import { benchTeams } from "./teams.js";

const suites: [string, () => Promise<BenchRow[]>][] = [
  ["knowledge", benchKnowledge],
  ["assessment", benchAssessment],
  ["growth", benchGrowth],
  ["slack", benchSlack],
  ["teams", benchTeams],
  ["fanout", benchFanout],
  ["fuzz", benchFuzz],
];
const only = process.argv[2];

interface Results {
  node: string;
  cpus: number;
  platform: string;
  at: string;
  /** When each suite was last measured. */
  measuredAt: Record<string, string>;
  results: Record<string, BenchRow[] | { error: string }>;
}
console.log(
  `maturity-bot benchmarks — node ${process.version}, ${os.cpus().length} cpu(s), ${os.platform()}`,
);
let failed = false;
const results: Record<string, BenchRow[] | { error: string }> = {};
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}`);
  try {
    const rows = await run();
    results[name] = rows;
    printTable(rows);
    if (rows.some((r) => r.ok === false)) failed = true;
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    results[name] = { error: message };
    console.log(`failed: ${message}`);
  }
}
// One suite (`npm run bench -- slack`) replaces its own figures and keeps the other suites' as they were,
// each with when it was measured.
const file = new URL("./results.json", import.meta.url);
const earlier = only && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Results>) : {};
const at = new Date().toISOString();
const measuredAt: Record<string, string> = { ...earlier.measuredAt };
for (const name of Object.keys(earlier.results ?? {})) measuredAt[name] ??= earlier.at ?? "";
for (const name of Object.keys(results)) measuredAt[name] = at;
const all: Results = {
  node: process.version,
  cpus: os.cpus().length,
  platform: os.platform(),
  at,
  measuredAt,
  results: { ...earlier.results, ...results },
};
writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
if (failed) console.log("\nsome targets were not met (see the 'met' column)");
