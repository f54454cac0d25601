import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { figuresIn } from "../../../../src/core/knowledge/figures.js";
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
    if (figures.length === 0) {
      // An empty list is a promise too: that folder's pages (a synthesis across the guides) state no figure.
      it(`${list}: its pages state no figure of their own`, async () => {
        const { kb } = await realKnowledge();
        const folder = list.replace(/\.json$/, "");
        const pages = kb.pages.filter((p) => p.file.startsWith(`knowledge/${folder}/`));
        expect(pages.length).toBeGreaterThan(0);
        const stated = pages.flatMap((p) =>
          figuresIn(`${p.intro}\n${p.sections.map((s) => s.markdown).join("\n")}`),
        );
        expect(stated).toEqual([]);
      });
      continue;
    }
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
