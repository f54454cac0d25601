import { isDeepStrictEqual } from "node:util";
import { fuzzCompiler, fuzzSlack, fuzzTeams, startFuzzTargets } from "../test/support/fuzz-targets.js";
import type { BenchRow } from "./table.js";

/**
 * The property-based tests' longer run: many more mutated payloads than CI's, with a new seed each time
 * (printed, so a failure can be replayed). A property that fails stops the suite with its counterexample.
 */
export async function benchFuzz(): Promise<BenchRow[]> {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const runs = Number(process.env.FUZZ_RUNS ?? 300);
  console.log(`seed ${seed} (FUZZ_SEED=${seed} replays it), ${runs} runs per target`);
  const t = await startFuzzTargets("bench-fuzz");
  try {
    const before = await t.state();
    const slack = await fuzzSlack(t, runs, seed);
    const teams = await fuzzTeams(t, runs, seed);
    const compiler = fuzzCompiler(runs * 4, seed);
    await t.app.slack?.idle();
    const unchanged = isDeepStrictEqual(await t.state(), before);
    return [
      { name: "slack payloads, no 5xx", value: slack.runs, unit: "runs", ok: true },
      {
        name: "slack heap growth",
        value: Math.round(slack.heapGrowthMb),
        unit: "MB",
        target: "< 150",
        ok: slack.heapGrowthMb < 150,
      },
      { name: "teams payloads, no 5xx", value: teams.runs, unit: "runs", ok: true },
      {
        name: "teams heap growth",
        value: Math.round(teams.heapGrowthMb),
        unit: "MB",
        target: "< 150",
        ok: teams.heapGrowthMb < 150,
      },
      { name: "knowledge pages compiled, none kept hostile", value: compiler.runs, unit: "pages", ok: true },
      { name: "stored state unchanged", value: unchanged ? 1 : 0, unit: "yes", target: "1", ok: unchanged },
    ];
  } finally {
    await t.close();
  }
}
