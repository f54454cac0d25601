import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ANSWER_MAX } from "../../../../src/core/knowledge/answer.js";
import { realKnowledge } from "../../../support/knowledge.js";

const root = new URL("../../../../", import.meta.url).pathname;

describe("answer engine intents", () => {
  it("answers the level 1 to 2 duration with the roadmap's 3-6 months and cites it", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("how long does it take to get from level 1 to level 2?");
    expect(result.intent).toBe("roadmap");
    expect(result.answer).toContain("**3-6 months**");
    expect(result.sources[0]).toEqual({ file: "knowledge/tech-ops/roadmap-1-to-2.md", heading: "Goal" });
    expect(result.followUps.map((f) => f.label)).toContain("Full checklist");
  });

  it.each([
    ["level 2 to 3?", 2, "6-12 months"],
    ["how long from l3 -> l4", 3, "8-15 months"],
    ["we are at level 4, how long until we hit level 5", 4, "12-18 months"],
    ["how do we get to level 2", 1, "3-6 months"],
  ])("reads %s as the roadmap from level %i", async (question, from, duration) => {
    const { engine } = await realKnowledge();
    const result = engine.answer(question);
    expect(result.intent).toBe("roadmap");
    expect(result.sources[0]?.file).toBe(`knowledge/tech-ops/roadmap-${from}-to-${from + 1}.md`);
    expect(result.answer).toContain(duration);
  });

  it("sets two levels of different scales side by side, saying whether they match", async () => {
    const { engine } = await realKnowledge();
    const no = engine.answer("is enterprise level 3 the same as tech ops level 3?");
    expect(no.answer).toMatch(/^No: enterprise level 3 \(Monitored\) sits at roughly primary level 4/);
    expect(no.sources[0]?.file).toBe("knowledge/frameworks/alignment.md");
    const yes = engine.answer("is research stage 2 equivalent to level 3?");
    expect(yes.answer).toMatch(
      /^Roughly, yes: research stage 2 \(Defined \(Standardized\)\) sits at roughly primary level 3/,
    );
  });

  it("reads phase N of the research roadmap as the climb to stage N", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("success rate of phase 4");
    expect(result.intent).toBe("fact");
    expect(result.answer).toMatch(/^Only \*\*20%\*\* of organisations that start Phase 4/);
  });

  it("answers 'how many' about something the guides count, and declines what they never count", async () => {
    const { engine } = await realKnowledge();
    const counted = engine.answer("how many features should we start our feature store with");
    expect(counted.intent).not.toBe("unknown");
    expect(counted.answer).toContain("10-20 core features");
    const never = engine.answer("how many GPUs does a level 3 team need?");
    expect(never.intent).toBe("unknown");
    expect(never.answer).toMatch(/^The guides give no figure for how many `gpus`\./);
  });

  it("answers 'what should we do next' for the asker's team level", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("what should we do next?", { teamLevel: 3, teamName: "#ml-platform" });
    expect(result.answer).toMatch(
      /^_Assuming your team's level: level 3 of the Technology & Operations scale\._/,
    );
    expect(result.answer).toContain("For #ml-platform (level 3): **Level 3 → 4** takes **8-15 months**");
    expect(result.sources.map((s) => s.file)).toEqual([
      "knowledge/tech-ops/roadmap-3-to-4.md",
      "knowledge/tech-ops/level-3.md",
    ]);
  });

  it("without a team level, next steps list every roadmap step and ask for the level", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("what are our next steps?");
    expect(result.intent).toBe("roadmap");
    expect(result.answer).toContain("run `assess`");
    for (const d of ["3-6 months", "6-12 months", "8-15 months", "12-18 months"])
      expect(result.answer).toContain(d);
  });

  it("level 5 has no next roadmap step", async () => {
    const { engine } = await realKnowledge();
    expect(engine.answer("roadmap from level 5").answer).toContain("top of the scale");
  });

  it("describes a level, and a stage of the research scale", async () => {
    const { engine } = await realKnowledge();
    const level = engine.answer("what does level 3 mean?");
    expect(level.intent).toBe("level-definition");
    expect(level.sources[0]?.file).toBe("knowledge/tech-ops/level-3.md");
    expect(level.answer).toContain("5-10 models");
    const stage = engine.answer("what is stage 0");
    expect(stage.sources[0]?.file).toBe("knowledge/research/stage-0.md");
    expect(stage.answer).toContain("35%");
  });

  it("matches a described practice to a level", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer(
      "we build models in notebooks and have no version control, which level are we?",
    );
    expect(result.intent).toBe("level-match");
    expect(result.answer).toContain("Initial / Aware");
    expect(result.followUps.map((f) => f.question)).toContain("assess");
  });

  it("recognises a challenge described in the asker's words", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("our models keep degrading, what do we do?");
    expect(result.intent).toBe("challenge");
    expect(result.sources[0]?.file).toBe("knowledge/tech-ops/challenge-retraining.md");
    expect(result.answer).toContain("triggered by drift");
    expect(result.answer).toMatch(/\*\*Solutions\*\*/);
  });

  it("pages long sections through 'more' follow-ups that end", async () => {
    const { engine } = await realKnowledge();
    let result = engine.answer("more roadmap-2-to-3#checklist 1");
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      expect(result.intent).toBe("more");
      expect(result.answer.length).toBeLessThanOrEqual(ANSWER_MAX);
      seen.push(result.answer);
      const next = result.followUps.find((f) => f.label === "More");
      if (!next) break;
      result = engine.answer(next.question, next.part ? { part: next.part } : {});
    }
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.join("\n")).toContain("<5%");
    expect(seen.at(-1)).not.toBe(seen[0]);
  });
});

describe("when the engine does not know", () => {
  it.each([
    "what is the capital of France",
    "how do I bake sourdough bread",
    "best pizza in town",
    "write me a poem about the sea",
    "asdfgh qwerty",
    "",
    "   ",
  ])("says so for %j and offers the nearest topics", async (question) => {
    const { engine } = await realKnowledge();
    const result = engine.answer(question);
    expect(result.intent).toBe("unknown");
    expect(result.answer).toMatch(/^(?:I don't know|The guides don't (?:mention|cover))/);
    expect(result.answer).toContain("Nearest topics I can answer:");
    expect(result.sources).toEqual([]);
    expect(result.confidence).toBeLessThan(0.35);
    expect(result.followUps.length).toBeGreaterThan(0);
  });

  it("echoes the question as it was typed, not as it was read with typos corrected", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("what about <!channel> and zorblax");
    expect(result.intent).toBe("unknown");
    // "channel" is not a word of the guides; read as the nearest one ("change"), never echoed so.
    expect(result.answer).toContain("I don't know about `what about <!channel> and zorblax`");
    expect(result.answer).not.toContain("change");
  });

  it("names the words it has nothing on when it answers a near topic", async () => {
    const { engine } = await realKnowledge();
    const result = engine.answer("how much does kafka cost");
    expect(result.answer).toMatch(/^_Nothing in the guides covers "kafka"/);
  });

  it("keeps every answer short enough for chat", async () => {
    const { engine, kb } = await realKnowledge();
    expect(kb.pages.length).toBeGreaterThan(0);
    for (const page of kb.pages) {
      const result = engine.answer(page.meta.title);
      expect(result.answer.length, page.file).toBeLessThanOrEqual(ANSWER_MAX);
    }
  });
});

describe("npm run ask (the contract's command line)", () => {
  const ask = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/ask.ts", ...args], {
      cwd: root,
      encoding: "utf8",
    });

  it("prints one JSON object with answer, sources, intent and confidence", () => {
    const run = ask("--json", "how long does it take to get from level 1 to level 2?");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(json.answer).toContain("3-6 months");
    expect(json.sources).toContainEqual({ file: "knowledge/tech-ops/roadmap-1-to-2.md", heading: "Goal" });
    expect(json.intent).toBe("roadmap");
    expect(json.confidence).toBeGreaterThan(0.5);
    expect(json.confidence).toBeLessThanOrEqual(1);
  });

  it("prints readable text with sources without --json", () => {
    const run = ask("what is a canary deployment?");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Canary deployment");
    expect(run.stdout).toContain("Sources:\n  knowledge/research/deployment-strategies.md");
  });

  it("explains its usage when no question is given", () => {
    const run = ask("--json");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage:");
  });
});
