import { beforeEach, describe, expect, it } from "vitest";
import {
  containsPhrase,
  distinctPages,
  nameWords,
  preferParent,
  rerank,
} from "../../../../src/core/knowledge/rank.js";
import type { Hit } from "../../../../src/core/knowledge/search.js";
import type { Page, Section } from "../../../../src/core/knowledge/types.js";

function page(id: string, options: { source?: string; aliases?: string[] } = {}): Page {
  return {
    meta: {
      id,
      title: id,
      kind: "topic",
      source: options.source ?? "tech-ops",
      levels: [],
      aliases: options.aliases ?? [],
      facts: [],
    },
    file: `knowledge/t/${id}.md`,
    intro: "",
    sections: [],
  };
}

let nextIndex = 0;
function section(
  p: Page,
  fullMarkdown: string,
  options: { heading?: string; depth?: number; path?: string[]; index?: number } = {},
): Section {
  const heading = options.heading ?? `h${nextIndex}`;
  const s: Section = {
    index: options.index ?? nextIndex++,
    page: p,
    heading,
    path: options.path ?? [p.meta.title, heading],
    depth: options.depth ?? 2,
    line: 1,
    markdown: fullMarkdown,
    text: fullMarkdown,
    fullMarkdown,
  };
  p.sections.push(s);
  return s;
}

function hit(s: Section, score: number, coverage = 1): Hit {
  return { section: s, score, matched: 1, coverage };
}

/** Which hit comes first when a plain one (score 1) meets one (score 0.9) whose text is given. */
function winner(q: string, text: string): string {
  const p = page("p");
  const plain = hit(section(p, "Nothing to see here.", { heading: "plain" }), 1);
  const figured = hit(section(p, text, { heading: "figured" }), 0.9);
  return rerank([plain, figured], q, false)[0]!.section.heading;
}

describe("rerank: figures the question asks for", () => {
  beforeEach(() => {
    nextIndex = 0;
  });

  const cases: [string, string, string][] = [
    ["how long does it take", "It takes 6 months.", "figured"],
    ["how long does it take", "It takes 10-12 months.", "figured"],
    ["how long does it take", "It takes 1 month.", "figured"],
    ["how long does it take", "It takes 1 week.", "figured"],
    ["how long does it take", "It takes 1 year.", "figured"],
    ["how long does it take", "It takes 1 day.", "figured"],
    ["how long does it take", "Done in week 3.", "figured"],
    ["how long does it take", "Done in week three.", "plain"],
    ["what does it cost", "About $200k.", "figured"],
    ["how many organizations do this", "About 40% of them.", "figured"],
    ["how many organisations do this", "About 40% of them.", "figured"],
    ["how many organizations do this", "About forty percent.", "plain"],
    ["we run 12 models", "Teams with 10-20 models.", "figured"],
    ["we run 10 models", "Teams with 10-20 models.", "figured"],
    ["we run 20 models", "Teams with 10-20 models.", "figured"],
    ["we run 20 models", "Teams with 10-20+ models.", "figured"],
    ["we run 50 models", "Teams with 10-20 models.", "plain"],
    ["we run 5 models", "Teams with 10-20 models.", "plain"],
    ["15%", "Teams with 10-20 models.", "plain"],
    ["15 % of teams", "Teams with 10-20 models.", "plain"],
    ["at level 15", "Teams with 10-20 models.", "figured"],
    ["at level 3", "Teams with 1-5 models.", "plain"],
    ["at stage 3", "Teams with 1-5 models.", "plain"],
    ["at level 3 with 12 models", "Teams with 10-20 models.", "figured"],
    ["what is this", "It takes 6 months and $5 for 40%.", "plain"],
  ];
  for (const [q, text, expected] of cases) {
    it(`${q} / ${text} -> ${expected}`, () => {
      expect(winner(q, text)).toBe(expected);
    });
  }

  it("multiplies the score by 1.35 per figure asked for and 1.5 per model range", () => {
    const p = page("p");
    const [h] = rerank(
      [hit(section(p, "6 months, $5, 40%, 10-20 models"), 1)],
      "how long, cost and share for 12",
      false,
    );
    expect(h!.score).toBeCloseTo(1.35 ** 3 * 1.5, 10);
  });

  it("orders equal scores by section index", () => {
    const p = page("p");
    const a = section(p, "a", { index: 5 });
    const b = section(p, "b", { index: 3 });
    const c = section(p, "c", { index: 4 });
    const d = section(p, "d", { index: 1 });
    const ranked = rerank([hit(a, 1), hit(b, 1), hit(c, 1), hit(d, 1)], "hello", false);
    expect(ranked.map((h) => h.section.index)).toEqual([1, 3, 4, 5]);
  });
});

describe("rerank: aliases and comparison pages", () => {
  it("lifts a page whose alias the question says, when its coverage is within 0.3 of the widest", () => {
    const plain = hit(section(page("a"), "x"), 1, 1);
    const aliased = hit(section(page("b", { aliases: ["Feature Store"] }), "y"), 0.9, 0.7);
    expect(rerank([plain, aliased], "do we need a feature store", false).map((h) => h.score)).toEqual([
      0.9 * 1.25,
      1,
    ]);
  });

  it("does not lift it when its coverage is further behind", () => {
    const plain = hit(section(page("a"), "x"), 1, 1);
    const aliased = hit(section(page("b", { aliases: ["Feature Store"] }), "y"), 0.9, 0.6);
    expect(rerank([plain, aliased], "do we need a feature store", false).map((h) => h.score)).toEqual([
      1, 0.9,
    ]);
  });

  it("doubles a comparison page's opening section when comparing, and damps it otherwise", () => {
    const several = page("c", { source: "several" });
    const first = section(several, "first");
    const second = section(several, "second");
    expect(rerank([hit(first, 1), hit(second, 1)], "x", true).map((h) => h.score)).toEqual([2, 1]);
    expect(rerank([hit(first, 1), hit(second, 1)], "x", false).map((h) => h.score)).toEqual([0.7, 0.7]);
  });
});

describe("containsPhrase", () => {
  const cases: [string, string, boolean][] = [
    ["the abc tool", "abc", true],
    ["abc", "abc", true],
    ["abc tool", "abc", true],
    ["the abc", "abc", true],
    ["xabc", "abc", false],
    ["abcx", "abc", false],
    ["xabc d", "abc", false],
    ["d abcx", "abc", false],
    ["ab", "xyz", false],
    ["abc", "xyz", false],
    ["ml ops", "ml", false],
    ["(abc)", "abc", true],
  ];
  for (const [text, phrase, expected] of cases) {
    it(`${text} / ${phrase} -> ${expected}`, () => {
      expect(containsPhrase(text, phrase)).toBe(expected);
    });
  }
});

describe("nameWords", () => {
  it("keeps lowercased words of five letters or more", () => {
    expect(nameWords("Alpha  Bravo-charlie of ML")).toEqual(["alpha", "bravo", "charlie"]);
    expect(nameWords(undefined)).toEqual([]);
  });
});

describe("distinctPages", () => {
  it("keeps the first hit of each page, skipping the page given", () => {
    const a = page("a");
    const b = page("b");
    const c = page("c");
    const hits = [
      hit(section(a, "1"), 3),
      hit(section(b, "2"), 2),
      hit(section(a, "3"), 1),
      hit(section(c, "4"), 1),
    ];
    expect(distinctPages(hits, undefined)).toEqual([hits[0], hits[1], hits[3]]);
    expect(distinctPages(hits, b)).toEqual([hits[0], hits[3]]);
  });
});

describe("preferParent", () => {
  function family() {
    const p = page("p");
    const parent = section(p, "parent", { heading: "Parent", depth: 2, path: ["P", "Parent"] });
    const child = section(p, "child", { heading: "Child", depth: 3, path: ["P", "Parent", "Child"] });
    return { p, parent, child };
  }

  it("takes the parent when it scores at least 85% of the sub-section", () => {
    const { parent, child } = family();
    const top = hit(child, 1);
    const up = hit(parent, 0.85);
    expect(preferParent([top, up], top)).toBe(up);
  });

  it("keeps the sub-section when the parent scores less", () => {
    const { parent, child } = family();
    const top = hit(child, 1);
    expect(preferParent([top, hit(parent, 0.84)], top)).toBe(top);
  });

  it("keeps an h2 section as it is", () => {
    const p = page("p");
    const top = hit(section(p, "x", { heading: "Top", depth: 2, path: ["P", "Top"] }), 1);
    const namesake = hit(section(p, "y", { heading: "P", depth: 2, path: ["P", "P"] }), 1);
    expect(preferParent([top, namesake], top)).toBe(top);
  });

  it("only takes an h2 of the same page with the parent's heading", () => {
    const { p, child } = family();
    const top = hit(child, 1);
    const otherPage = hit(section(page("q"), "z", { heading: "Parent", depth: 2, path: ["Q", "Parent"] }), 1);
    const deep = hit(section(p, "w", { heading: "Parent", depth: 3, path: ["P", "X", "Parent"] }), 1);
    const otherHeading = hit(section(p, "v", { heading: "Other", depth: 2, path: ["P", "Other"] }), 1);
    expect(preferParent([otherPage, deep, otherHeading, top], top)).toBe(top);
    expect(preferParent([otherPage, top], top)).toBe(top);
    expect(preferParent([deep, top], top)).toBe(top);
    expect(preferParent([otherHeading, top], top)).toBe(top);
  });
});
