import { describe, expect, it } from "vitest";
import { SearchIndex } from "../../../../src/core/knowledge/search.js";
import type { KnowledgeBase, Page, Section } from "../../../../src/core/knowledge/types.js";

interface PageSpec {
  title: string;
  aliases?: string[];
  sections: { heading: string; text: string }[];
}

/** A knowledge base built by hand: one h2 section per entry, indexed in order. */
function kbOf(pages: PageSpec[]): KnowledgeBase {
  const sections: Section[] = [];
  const built = pages.map((p, i) => {
    const page: Page = {
      meta: {
        id: `p${i}`,
        title: p.title,
        kind: "topic",
        source: "x",
        levels: [],
        aliases: p.aliases ?? [],
        facts: [],
      },
      file: `knowledge/t/p${i}.md`,
      intro: "",
      sections: [],
    };
    for (const s of p.sections) {
      const section: Section = {
        index: sections.length,
        page,
        heading: s.heading,
        path: [p.title, s.heading],
        depth: 2,
        line: 1,
        markdown: s.text,
        text: s.text,
        fullMarkdown: s.text,
      };
      page.sections.push(section);
      sections.push(section);
    }
    return page;
  });
  return { pages: built, sections, byId: new Map(built.map((p) => [p.meta.id, p])) };
}

const ZEBRAS: PageSpec[] = [
  {
    title: "Alpha zebras",
    sections: [
      { heading: "One", text: "zebros here" },
      { heading: "Two", text: "zebros there" },
      { heading: "Three", text: "nothing" },
    ],
  },
  {
    title: "Deploy guide",
    aliases: ["shipping"],
    sections: [
      { heading: "Release process", text: "we release weekly" },
      { heading: "Monitoring", text: "dashboards and alerts" },
    ],
  },
];

describe("SearchIndex.idf", () => {
  it("is BM25's idf over sections: ln(1 + (N - df + 0.5) / (df + 0.5))", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    expect(index.idf("zebro")).toBe(Math.log(1 + (5 - 2 + 0.5) / (2 + 0.5)));
    expect(index.idf("releas")).toBe(Math.log(1 + (5 - 1 + 0.5) / (1 + 0.5)));
    expect(index.idf("nope")).toBe(Math.log(1 + (5 + 0.5) / 0.5));
  });
});

describe("SearchIndex.search", () => {
  it("ranks the section that says the word above the one reached through a synonym", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    const hits = index.search("release");
    expect(hits.map((h) => [h.section.index, h.matched, h.coverage])).toEqual([
      [3, 1, 1],
      [4, 1, 0.6],
    ]);
  });

  it("gives a section that only holds a synonym less coverage than the word itself", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    const hits = index.search("launch");
    expect(hits.map((h) => h.section.index)).toEqual([3, 4]);
    expect(hits.every((h) => h.coverage < 1)).toBe(true);
  });

  it("orders sections with equal scores by their index", () => {
    const same = { heading: "H", text: "same words" };
    const index = new SearchIndex(kbOf([{ title: "T", sections: [same, same, same, same, same] }]));
    const hits = index.search("words");
    expect(hits.map((h) => h.section.index)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
  });

  it("orders equal scores by index even when the later section matched an earlier word", () => {
    const index = new SearchIndex(
      kbOf([
        {
          title: "T",
          sections: [
            { heading: "H", text: "beta" },
            { heading: "H", text: "alpha" },
          ],
        },
      ]),
    );
    const hits = index.search("alpha beta");
    expect(hits.map((h) => h.section.index)).toEqual([0, 1]);
    expect(hits[0]!.score).toBe(hits[1]!.score);
  });

  it("filters and limits", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    expect(index.search("release", { limit: 1 }).map((h) => h.section.index)).toEqual([3]);
    expect(index.search("release", { filter: (s) => s.index !== 3 }).map((h) => h.section.index)).toEqual([
      4,
    ]);
  });
});

describe("SearchIndex.correct", () => {
  it("corrects a typo to a word of a page title", () => {
    const index = new SearchIndex(
      kbOf([{ title: "Zebras guide", sections: [{ heading: "One", text: "nothing" }] }]),
    );
    expect(index.correct("zebrus")).toBe("zebras");
    expect(index.correct("zebrus")).toBe("zebras");
  });

  it("prefers the more frequent word; a title counts once however many sections its page has", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    expect(index.correct("zebrus")).toBe("zebros");
    expect(index.correct("zebrus")).toBe("zebros");
  });

  it("keeps the first of equally close, equally frequent words", () => {
    const index = new SearchIndex(
      kbOf([
        {
          title: "T",
          sections: [
            { heading: "A", text: "zebras zebras" },
            { heading: "B", text: "zebros zebros" },
            { heading: "C", text: "zebrax zebrax" },
          ],
        },
      ]),
    );
    expect(index.correct("zebrus")).toBe("zebros");
  });

  it("prefers the nearer word", () => {
    const index = new SearchIndex(
      kbOf([
        {
          title: "T",
          sections: [
            { heading: "A", text: "platforms platforms platforms" },
            { heading: "B", text: "platform" },
            { heading: "C", text: "platfxrmy platfxrmy platfxrmy" },
          ],
        },
      ]),
    );
    expect(index.correct("platforn")).toBe("platform");
    expect(index.correct("platforn")).toBe("platform");
  });

  it("leaves known words, short words and unknown words alone", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    expect(index.correct("zebros abcd qwertyuiop release")).toBe("zebros abcd qwertyuiop release");
  });
});

describe("SearchIndex.known", () => {
  it("counts the terms the base holds directly or through a synonym", () => {
    const index = new SearchIndex(kbOf(ZEBRAS));
    expect(index.known(["zebra", "nonsens", "deploy", "ship", "launch"])).toBe(4);
    expect(index.known(["nonsens"])).toBe(0);
    expect(index.has("zebra")).toBe(true);
    expect(index.has("zebros")).toBe(false);
  });
});
