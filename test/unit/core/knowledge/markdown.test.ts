import { describe, expect, it } from "vitest";
import { compileKnowledge } from "../../../../src/core/knowledge/compile.js";
import { parseBody } from "../../../../src/core/knowledge/markdown.js";
import { formatIssue } from "../../../../src/core/knowledge/types.js";

function compileTopic(body: string[]) {
  const content = [
    "---",
    "id: t",
    'title: "Topic"',
    "kind: topic",
    "source: several",
    "levels: []",
    "---",
    ...body,
  ].join("\n");
  const { kb, issues } = compileKnowledge([{ file: "knowledge/t/t.md", content }]);
  return { page: kb.byId.get("t")!, issues: issues.map(formatIssue) };
}

describe("parseBody: a page's intro", () => {
  it("keeps the blank line between two paragraphs, so their figures stay apart", () => {
    const { page, issues } = compileTopic([
      "",
      "Teams ship in 20%",
      "",
      "30% of the time.",
      "## Next",
      "Body.",
    ]);
    expect(issues).toEqual([]);
    expect(page.intro).toBe("Teams ship in 20%\n\n30% of the time.");
  });
});

describe("parseBody: plain text of sections", () => {
  it("gives code, quotes, breaks and inline formatting as plain text", () => {
    const { page, issues } = compileTopic([
      "",
      "",
      "Lead text.",
      "## Code",
      "```",
      "  indented code",
      "```",
      "",
      "## Quote",
      "> first  part",
      ">",
      "> second **bold** part",
      "",
      "## Quoted heading",
      "> ## **Bold** title",
      "",
      "## Breaks",
      "line one  ",
      "line two",
      "",
      "## Nested",
      "Some **bold _italic_** words &amp; more.",
      "",
      "## Html",
      "Before.",
      "",
      "<div>note</div>",
      "",
      "After.",
    ]);
    expect(issues).toEqual([]);
    expect(page.intro).toBe("Lead text.");
    expect(page.sections.map((s) => [s.heading, s.text])).toEqual([
      ["Code", "indented code"],
      ["Quote", "first part second bold part"],
      ["Quoted heading", "Bold title"],
      ["Breaks", "line one line two"],
      ["Nested", "Some bold italic words & more."],
      ["Html", "Before.\nAfter."],
    ]);
  });

  it("lets an h2 with only sub-sections be non-empty and quotes them in fullMarkdown", () => {
    const { page, issues } = compileTopic([
      "",
      "## Checklist",
      "",
      "### First",
      "Do it.",
      "",
      "## Closing",
      "Own text.",
      "",
      "### Last",
      "",
    ]);
    expect(issues).toEqual(['knowledge/t/t.md:17: empty section "Last"']);
    expect(page.sections.map((s) => [s.heading, s.fullMarkdown])).toEqual([
      ["Checklist", "### First\n\nDo it."],
      ["First", "Do it."],
      ["Closing", "Own text.\n\n### Last"],
      ["Last", ""],
    ]);
  });

  it("trims headings", () => {
    const { sections } = parseBody("## Title `x` \n\nText.", 1);
    expect(sections.map((s) => s.heading)).toEqual(["Title x"]);
  });

  it("places links on their own lines, with the same link twice", () => {
    const { links } = parseBody("## A\n\nSee [x](a.md), then\n[x](a.md) again and [y](b.md).", 5);
    expect(links).toEqual([
      { href: "a.md", line: 7 },
      { href: "a.md", line: 8 },
      { href: "b.md", line: 8 },
    ]);
  });

  it("finds links in table header cells", () => {
    const { links } = parseBody("## T\n\n| [h](h.md) | b |\n|---|---|\n| x | y |", 1);
    expect(links).toEqual([{ href: "h.md", line: 3 }]);
  });

  it("counts lines up to the last character", () => {
    const { sections } = parseBody("## A\nText.\n\n## B\nMore.", 10);
    expect(sections.map((s) => [s.heading, s.line])).toEqual([
      ["A", 10],
      ["B", 13],
    ]);
  });
});
