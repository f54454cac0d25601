import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fold, realKnowledge } from "../../../support/knowledge.js";

interface Figure {
  figure: string;
  about: string;
}

const dir = new URL("../../../../knowledge/figures/", import.meta.url);
const lists = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("every figure of every guide is in the knowledge base", () => {
  it("has a figure list for each guide", () => {
    expect(lists.sort()).toEqual(
      expect.arrayContaining([
        "case-study.json",
        "enterprise.json",
        "research.json",
        "tech-ops.json",
        "wardley.json",
      ]),
    );
  });

  for (const list of lists) {
    const figures = JSON.parse(readFileSync(new URL(list, dir), "utf8")) as Figure[];
    it(`${list}: ${figures.length} figures`, async () => {
      const { kb } = await realKnowledge();
      const corpus = fold(
        kb.pages
          .map(
            (p) =>
              `${p.meta.title}\n${p.intro}\n${p.sections.map((s) => `${s.heading}\n${s.markdown}`).join("\n")}`,
          )
          .join("\n"),
      );
      const missing = figures.filter((f) => !corpus.includes(fold(f.figure)));
      expect(missing.map((f) => `${f.figure} (${f.about})`)).toEqual([]);
    });
  }
});
