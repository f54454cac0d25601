import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../../../src/core/assessment/bank.js";
import { componentsOfItem } from "../../../../src/core/assessment/components.js";
import { describeMarket, marketPosition, STAGE_SHARES } from "../../../../src/core/assessment/market.js";
import {
  countAnswers,
  explainLevel,
  individualResult,
  medianOfCounts,
  teamResult,
} from "../../../../src/core/assessment/results.js";
import { DEFAULT_SCHEDULE, periodOf } from "../../../../src/core/assessment/schedule.js";
import {
  bandFromScore,
  dimensionScore,
  levelFromScore,
  median,
} from "../../../../src/core/assessment/scoring.js";
import { realKnowledge } from "../../../support/knowledge.js";

const bank = async () => new QuestionBank((await realKnowledge()).kb);
const all = (keys: string[], level: number) => Object.fromEntries(keys.map((k) => [k, level]));

describe("level and band from a score", () => {
  it.each([
    [1.0, 1],
    [1.9, 1],
    [1.95, 2],
    [2.0, 2],
    [2.9, 2],
    [2.95, 3],
    [3.0, 3],
    [3.4, 3],
    [3.45, 4],
    [3.5, 4],
    [4.4, 4],
    [4.45, 5],
    [4.5, 5],
    [5.0, 5],
  ])("score %f is level %i (exit scores 2.0, 3.0, 3.5, 4.5 on the shown score)", (score, level) => {
    expect(levelFromScore(score)).toBe(level);
  });

  it.each([
    [2.4, "weak"],
    [2.45, "developing"],
    [2.5, "developing"],
    [3.9, "developing"],
    [3.95, "strong"],
    [4.0, "strong"],
    [1.0, "weak"],
  ])("score %f is %s (strong 4.0 or more, weak below 2.5)", (score, band) => {
    expect(bandFromScore(score)).toBe(band);
  });

  it("means answered levels to one decimal and ignores skipped ones", () => {
    expect(dimensionScore([4, 4, 3])).toBe(3.7);
    expect(dimensionScore([3, null, 4, undefined])).toBe(3.5);
    expect(dimensionScore([null])).toBeUndefined();
    expect(dimensionScore([1, 2, 2])).toBe(1.7);
  });

  it("takes the mean of the two middle values as the median of an even count", () => {
    expect(median([3, 4])).toBe(3.5);
    expect(median([5, 1, 4, 2])).toBe(3);
    expect(median([2, 5, 3])).toBe(3);
    expect(median([4])).toBe(4);
    expect(median([])).toBeUndefined();
  });
});

describe("a member's result", () => {
  it("every question at level 3 gives 3.0, level 3, developing", async () => {
    const b = await bank();
    const result = individualResult(all(b.keys("full"), 3), b)!;
    expect(result).toMatchObject({ score: 3, level: 3, band: "developing" });
    expect(result.components).toHaveLength(5);
    expect(result.components.every((c) => c.level === 3)).toBe(true);
    expect(result.weakest).toEqual([]);
  });

  it("answers 4, 4, 3 in quick mode give 3.7, level 4", async () => {
    const b = await bank();
    const [q7, q8, q9] = b.keys("quick");
    expect(b.keys("quick")).toHaveLength(3);
    const result = individualResult({ [q7!]: 4, [q8!]: 4, [q9!]: 3 }, b)!;
    expect(result).toMatchObject({ score: 3.7, level: 4, band: "developing" });
    // Quick mode asks nothing about lifecycle or standards.
    expect(result.components.find((c) => c.id === "model-lifecycle")?.level).toBeUndefined();
    expect(result.weakest.map((c) => c.id)).toEqual(["production-operations"]);
  });

  it("names the two weakest components", async () => {
    const b = await bank();
    const answers = all(b.keys("full"), 4);
    answers["c3-lifecycle"] = 1;
    answers["c5-standards"] = 2;
    const result = individualResult(answers, b)!;
    expect(result.weakest.map((c) => c.name)).toEqual(["Model lifecycle management", "Technical standards"]);
  });

  it("has no result when every question was skipped", async () => {
    const b = await bank();
    expect(individualResult(Object.fromEntries(b.keys("full").map((k) => [k, null])), b)).toBeUndefined();
  });
});

describe("a team's result", () => {
  it("uses per-question medians and flags disagreements of 2 levels or more", async () => {
    const b = await bank();
    const keys = b.keys("full");
    const a = all(keys, 2);
    const c = all(keys, 3);
    const d = all(keys, 4);
    d["q7-development"] = 5; // spread 2..5 on q7
    const team = teamResult([a, c, d], 5, b);
    expect(team.visible).toBe(true);
    expect(team.result).toMatchObject({ score: 3, level: 3 });
    expect(team.disagreements).toEqual(keys); // 2 vs 4 differs by 2 on every question
    const q7 = team.questions.find((q) => q.key === "q7-development")!;
    expect(q7).toMatchObject({ median: 3, spread: 3, respondents: 3 });
  });

  it("is shown only from 3 respondents, whatever the team's size, unless a lead opened the results", async () => {
    const b = await bank();
    const one = all(b.keys("full"), 3);
    expect(teamResult([one, one], 5, b).visible).toBe(false);
    expect(teamResult([one, one, one], 5, b).visible).toBe(true);
    // A team of two that both answered: each could read the other's answers from a shown result.
    expect(teamResult([one, one], 2, b).visible).toBe(false);
    expect(teamResult([one, one], 2, b, { open: true }).visible).toBe(true);
    expect(teamResult([one], 2, b).visible).toBe(false);
    expect(teamResult([], 0, b, { open: true }).visible).toBe(false);
    // Every question skipped makes no respondent: two answers and a skip are still two.
    const skipped = Object.fromEntries(b.keys("full").map((k) => [k, null]));
    expect(teamResult([one, one, skipped], 5, b)).toMatchObject({ respondents: 2, visible: false });
  });

  it("leaves out a question that fewer than 3 answered: its median would give those answers away", async () => {
    const b = await bank();
    const keys = b.keys("full");
    const low = { ...all(keys, 1), "q7-development": 5 };
    const mid = all(keys, 3);
    const skipper = { ...all(keys, 3), "q7-development": null };
    const team = teamResult([low, mid, skipper], 3, b);
    expect(team.visible).toBe(true);
    // Two answered q7 (1 -> 5 and 3): shown, their median (4) and spread (2) would tell each their other.
    const q7 = team.questions.find((q) => q.key === "q7-development")!;
    expect(q7).toEqual({ key: "q7-development", respondents: 2, disagreement: false });
    expect(team.disagreements).not.toContain("q7-development");
    expect(team.result?.score).toBe(3);
    // Opened by a lead (members are told), every answered question counts.
    const opened = teamResult([low, mid, skipper], 3, b, { open: true });
    expect(opened.questions.find((q) => q.key === "q7-development")).toMatchObject({ median: 4, spread: 2 });
  });

  it("takes the mean of the two middle answers, so the team never sits below every member", async () => {
    const b = await bank();
    const keys = b.keys("full");
    const team = teamResult([all(keys, 3), all(keys, 4)], 2, b);
    expect(team.result).toMatchObject({ score: 3.5, level: 4, band: "developing" });
    expect(team.disagreements).toEqual([]);
    const four = teamResult([all(keys, 2), all(keys, 3), all(keys, 3), all(keys, 5)], 4, b);
    expect(four.result).toMatchObject({ score: 3, level: 3 });
  });

  it("explains its level against the guide's thresholds and names what holds it back", async () => {
    const b = await bank();
    const keys = b.keys("full");
    const answers = all(keys, 3);
    const r = individualResult(answers, b)!;
    expect(explainLevel(r)).toBe(
      "The score 3.0 reaches the 3.0 that level 3 needs; level 4 needs 3.5 (0.5 more).",
    );
    const low = individualResult({ ...answers, [keys[0]!]: 1 }, b)!;
    expect(explainLevel(low)).toMatch(
      /^The score 2\.8 reaches the 2\.0 that level 2 needs; level 3 needs 3\.0 \(0\.2 more\)\. Holding it back: \*\*/,
    );
    expect(explainLevel({ score: 1.4, level: 1, weakest: [] })).toBe(
      "The score 1.4 is below the 2.0 that level 2 needs; level 2 needs 2.0 (0.6 more).",
    );
    expect(explainLevel({ score: 4.8, level: 5, weakest: [] })).toBe(
      "The score 4.8 reaches the 4.5 that level 5 needs; level 5 is the top of the scale.",
    );
  });
});

describe("market position", () => {
  it("lines level N up with research stage N-1 and says it is an estimate", () => {
    expect(STAGE_SHARES.reduce((a, b) => a + b, 0)).toBe(100);
    expect(marketPosition(1)).toMatchObject({ stage: 0, below: 0, same: 35, above: 65 });
    expect(marketPosition(3)).toMatchObject({ stage: 2, below: 63, same: 22, above: 15 });
    expect(marketPosition(5)).toMatchObject({ stage: 4, below: 97, same: 3, above: 0 });
    expect(describeMarket(marketPosition(3))).toMatch(
      /^Estimate: about 63% .* research guide's market distribution/,
    );
  });

  it("uses the shares the knowledge base states", async () => {
    const { kb } = await realKnowledge();
    const page = kb.pages.find((p) => p.file === "knowledge/research/market-distribution.md")!;
    for (const share of STAGE_SHARES) expect(page.sections[0]!.markdown).toContain(`| ${share}% |`);
  });
});

describe("rounds", () => {
  it("is the calendar quarter in the team's time zone", () => {
    const q = (iso: string, zone: string) => periodOf(DEFAULT_SCHEDULE, zone, new Date(iso)).id;
    expect(q("2026-11-22T12:00:00Z", "UTC")).toBe("2026-Q4");
    expect(q("2026-12-31T23:30:00Z", "UTC")).toBe("2026-Q4");
    expect(q("2026-12-31T23:30:00Z", "Europe/Berlin")).toBe("2027-Q1");
    expect(q("2027-01-01T03:00:00Z", "America/Los_Angeles")).toBe("2026-Q4");
    expect(q("2026-04-01T00:00:00Z", "UTC")).toBe("2026-Q2");
  });
});

describe("question bank and roadmap items", () => {
  it("has questions 7-9 for quick mode and eight in full, each with five labelled options", async () => {
    const b = await bank();
    expect(b.keys("quick")).toEqual(["q7-development", "q8-automation", "q9-operations"]);
    expect(b.keys("full")).toHaveLength(8);
    for (const q of b.questions) {
      expect(q.options.map((o) => o.level)).toEqual([1, 2, 3, 4, 5]);
      for (const o of q.options) {
        expect(o.label.length).toBeLessThanOrEqual(75);
        expect(o.description.length).toBeGreaterThan(20);
      }
    }
  });

  it("ties every checklist item of every roadmap to at least one component", async () => {
    const { kb } = await realKnowledge();
    const items = kb.pages
      .filter((p) => p.meta.kind === "roadmap")
      .flatMap((p) => p.sections.filter((s) => s.depth === 3).flatMap((s) => s.text.split("\n")))
      .map((l) => l.replace(/^- /, ""))
      .filter(Boolean);
    expect(items.length).toBeGreaterThan(80);
    expect(items.filter((i) => componentsOfItem(i).length === 0)).toEqual([]);
  });
});

describe("team results from answer counts", () => {
  it("takes the same true median from counts as from the list of answers", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 60 }), (levels) => {
        const counts = new Map<number, number>();
        for (const l of levels) counts.set(l, (counts.get(l) ?? 0) + 1);
        expect(medianOfCounts(counts)).toBe(median(levels));
      }),
    );
  });

  it("counts answers per question and level, skipped questions nowhere", () => {
    const counts = countAnswers([
      { "q7-development": 2, "q8-automation": null },
      { "q7-development": 2, "q8-automation": 4 },
      { "q7-development": 5 },
    ]);
    expect(counts.get("q7-development")).toEqual(
      new Map([
        [2, 2],
        [5, 1],
      ]),
    );
    expect(counts.get("q8-automation")).toEqual(new Map([[4, 1]]));
  });
});
