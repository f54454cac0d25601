import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fold, realKnowledge } from "../../../support/knowledge.js";

interface Case {
  question: string;
  mustInclude: string[];
  /** The page the answer must cite; a list when more than one page answers it well. */
  source: string | string[];
}

const dir = new URL("../../../fixtures/questions/", import.meta.url);
const sets = readdirSync(dir).filter((f) => f.endsWith(".json"));
const all = sets.flatMap((set) =>
  (JSON.parse(readFileSync(new URL(set, dir), "utf8")) as Case[]).map((c) => ({ ...c, set })),
);

describe("the answer engine on questions people ask", () => {
  it("has at least 40 questions spread over every guide", () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.flatMap((c) => [c.source].flat().map((s) => s.split("/")[1])))).toEqual(
      new Set(["case-study", "enterprise", "frameworks", "research", "tech-ops", "wardley"]),
    );
  });

  for (const c of all) {
    it(`${c.set}: ${c.question}`, async () => {
      const { engine } = await realKnowledge();
      const result = engine.answer(c.question);
      expect(result.intent).not.toBe("unknown");
      const cited = result.sources.map((s) => s.file);
      expect(
        [c.source].flat().some((s) => cited.includes(s)),
        `cites ${cited.join(", ")}`,
      ).toBe(true);
      for (const fact of c.mustInclude) expect(fold(result.answer)).toContain(fold(fact));
      expect(result.answer.length).toBeLessThanOrEqual(1600);
      expect(result.answer).toMatch(/_Source: .+_$/);
    });
  }
});
