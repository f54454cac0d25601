import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUZZ_SEED } from "../../support/fuzz.js";
import {
  type FuzzTargets,
  fuzzCompiler,
  fuzzSlack,
  fuzzTeams,
  startFuzzTargets,
} from "../../support/fuzz-targets.js";

/**
 * Property-based: mutated real payloads (fields dropped, types changed, huge strings, null, nested junk)
 * at the Slack and Teams endpoints and at the knowledge compiler, with a fixed seed.
 * `npm run bench -- fuzz` runs many more with a random seed.
 */

let t: FuzzTargets;
let before: Record<string, unknown>;

beforeAll(async () => {
  t = await startFuzzTargets("fuzz");
  before = await t.state();
  expect(Object.keys(before).length).toBeGreaterThan(3);
});

afterAll(async () => {
  await t?.close();
});

async function stillServes() {
  await t.app.slack?.idle();
  expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
  expect((await t.slack.command("UMEMBER", "DUMEMBER", "help")).status).toBe(200);
}

describe("generated payloads", () => {
  it("Slack: never a 5xx, memory bounded, nothing stored", async () => {
    const run = await fuzzSlack(t, 60, FUZZ_SEED);
    expect(Object.values(run.statuses).reduce((a, b) => a + b, 0)).toBe(60);
    // Processed, or refused as unreadable: no other answer (a 5xx, a 401 for a signed body) is right.
    expect(Object.keys(run.statuses).every((s) => s === "200" || s === "400")).toBe(true);
    expect(run.heapGrowthMb).toBeLessThan(150);
    await stillServes();
    expect(await t.state()).toEqual(before);
  }, 120_000);

  it("Teams: never a 5xx, memory bounded, nothing stored", async () => {
    const run = await fuzzTeams(t, 60, FUZZ_SEED);
    expect(Object.values(run.statuses).reduce((a, b) => a + b, 0)).toBe(60);
    // Processed, or refused as unreadable: no other answer (a 5xx, a 401 for a signed body) is right.
    expect(Object.keys(run.statuses).every((s) => s === "200" || s === "400")).toBe(true);
    expect(run.heapGrowthMb).toBeLessThan(150);
    await stillServes();
    expect(await t.state()).toEqual(before);
  }, 120_000);

  it("the knowledge compiler: reports problems, never throws, keeps no hostile content", () => {
    const run = fuzzCompiler(200, FUZZ_SEED);
    expect(run.issues).toBeGreaterThan(0);
  }, 60_000);
});
