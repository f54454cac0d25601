import { describe, expect, it } from "vitest";
import { compileKnowledge, MAX_PAGE_BYTES, optionLabel } from "../../../../src/core/knowledge/compile.js";
import { type CompileIssue, formatIssue, type SourceFile } from "../../../../src/core/knowledge/types.js";

const TECH_OPS = "002_9374905fa16d7cca.txt";
const DIR = "knowledge/t";

/** A page: front matter lines between --- fences, then the body lines. */
function page(name: string, front: string[], body: string[]): SourceFile {
  return { file: `${DIR}/${name}`, content: ["---", ...front, "---", ...body].join("\n") };
}

function topic(name: string, id: string, body: string[], extra: string[] = []): SourceFile {
  return page(
    name,
    [`id: ${id}`, `title: "Topic ${id}"`, "kind: topic", "source: several", "levels: []", ...extra],
    body,
  );
}

const compile = (...files: SourceFile[]) => compileKnowledge(files);
const shown = (issues: CompileIssue[]) => issues.map(formatIssue);

describe("formatIssue", () => {
  it("prints file:line: message", () => {
    expect(formatIssue({ file: "knowledge/a.md", line: 7, message: "something is off" })).toBe(
      "knowledge/a.md:7: something is off",
    );
  });
});

describe("compileKnowledge: page checks", () => {
  it("compiles valid pages of every kind with no issue", () => {
    const level = page(
      "level-2.md",
      [
        "id: l2",
        'title: "Level 2"',
        "kind: level",
        `source: ${TECH_OPS}`,
        "levels: [2]",
        "scale: tech-ops-1-5",
        "level: 2",
        "name: Two",
      ],
      ["", "## What it looks like", "Looks.", "", "## Typical signs", "Signs."],
    );
    const research = page(
      "stage-0.md",
      [
        "id: s0",
        'title: "Stage 0"',
        "kind: level",
        "source: 003_e7abb61b6f35453a.txt",
        "levels: []",
        "scale: research-0-4",
        "level: 0",
        "name: Zero",
      ],
      ["", "## What it looks like", "Looks.", "", "## Typical signs", "Signs."],
    );
    const roadmap = page(
      "roadmap.md",
      [
        "id: r23",
        'title: "Roadmap"',
        "kind: roadmap",
        `source: ${TECH_OPS}`,
        "levels: [2, 3]",
        "from: 2",
        "to: 3",
        "duration: 4-8 months",
      ],
      ["", "## Goal", "Go.", "", "## Checklist", "Do.", "", "## Success criteria", "Done."],
    );
    const { kb, issues } = compile(level, research, roadmap);
    expect(shown(issues)).toEqual([]);
    expect(kb.pages.map((p) => p.meta.id)).toEqual(["l2", "r23", "s0"]);
  });

  it("reports a page without any ## section where its body starts", () => {
    const { issues } = compile(topic("a.md", "a", ["", "Only lead text."]));
    expect(shown(issues)).toEqual([`${DIR}/a.md:8: the page has no ## section`]);
  });

  it("needs the required sections as ## headings, not deeper ones", () => {
    const roadmap = page(
      "roadmap.md",
      [
        "id: r",
        'title: "Roadmap"',
        "kind: roadmap",
        `source: ${TECH_OPS}`,
        "levels: [2, 3]",
        "from: 2",
        "to: 3",
        "duration: 6 months",
      ],
      ["", "## Goal", "Go.", "", "## Checklist", "Do.", "", "### Success criteria", "Done."],
    );
    expect(shown(compile(roadmap).issues)).toEqual([
      `${DIR}/roadmap.md:11: a roadmap page needs a "## Success criteria" section`,
    ]);
  });

  it("reports a roadmap that skips a level at its to: line", () => {
    const roadmap = page(
      "roadmap.md",
      [
        "id: r",
        'title: "Road to: four"',
        "kind: roadmap",
        `source: ${TECH_OPS}`,
        "levels: [2, 4]",
        "from: 2",
        "to: 4",
        "duration: 6 months",
      ],
      ["", "## Goal", "Go.", "", "## Checklist", "Do.", "", "## Success criteria", "Done."],
    );
    expect(shown(compile(roadmap).issues)).toEqual([
      `${DIR}/roadmap.md:8: a roadmap goes one level up: from 2 to 3`,
    ]);
  });

  it("reports level 0 on the tech-ops scale at its level: line", () => {
    const level = page(
      "level-0.md",
      [
        "id: l0",
        'title: "Tech-ops level: zero"',
        "kind: level",
        `source: ${TECH_OPS}`,
        "levels: []",
        "scale: tech-ops-1-5",
        "name: Zero",
        "level: 0",
      ],
      ["", "## What it looks like", "Looks.", "", "## Typical signs", "Signs."],
    );
    expect(shown(compile(level).issues)).toEqual([
      `${DIR}/level-0.md:9: the tech-ops scale runs from 1 to 5`,
    ]);
  });

  it("reports a duplicate id at the id: line of the later file, whatever order the files come in", () => {
    const first = page(
      "a.md",
      ['title: "Rapid: first"', "id: same", "kind: topic", "source: several", "levels: []"],
      ["", "## One", "Text."],
    );
    const second = page(
      "b.md",
      ['title: "Rapid: second"', "id: same", "kind: topic", "source: several", "levels: []"],
      ["", "## One", "Text."],
    );
    const { kb, issues } = compile(second, first);
    expect(shown(issues)).toEqual([`${DIR}/b.md:3: duplicate id "same" (first used in ${DIR}/a.md)`]);
    expect(kb.pages.map((p) => p.file)).toEqual([`${DIR}/a.md`, `${DIR}/b.md`]);
  });

  it("reports a duplicate id written with a quoted key at line 1", () => {
    const first = topic("a.md", "same", ["", "## One", "Text."]);
    const second = page(
      "b.md",
      ['"id": same', 'title: "Second"', "kind: topic", "source: several", "levels: []"],
      ["", "## One", "Text."],
    );
    expect(shown(compile(first, second).issues)).toEqual([
      `${DIR}/b.md:1: duplicate id "same" (first used in ${DIR}/a.md)`,
    ]);
  });

  it("sorts issues by file, then by line", () => {
    const a = topic("a.md", "a", ["", "## Intro", "See [there](missing.md).", "", "## Empty", ""]);
    const b = topic("b.md", "b", [
      "",
      "## Empty too",
      "",
      "## Also empty",
      "",
      "## Fine",
      "Text [x](#nope).",
    ]);
    const { issues } = compile(b, a);
    expect(shown(issues)).toEqual([
      `${DIR}/a.md:10: dangling link "missing.md": no such page`,
      `${DIR}/a.md:12: empty section "Empty"`,
      `${DIR}/b.md:9: empty section "Empty too"`,
      `${DIR}/b.md:11: empty section "Also empty"`,
      `${DIR}/b.md:14: dangling link "#nope": ${DIR}/b.md has no heading #nope`,
    ]);
  });

  it("resolves links to headings of the same page", () => {
    const a = topic("a.md", "a", [
      "",
      "## First step",
      "Then read [the next](#second-step).",
      "",
      "## Second step",
      "Done.",
    ]);
    expect(shown(compile(a).issues)).toEqual([]);
  });

  it("treats only a leading scheme as a scheme", () => {
    const a = topic("a.md", "a", [
      "",
      "## Links",
      "Read [this](./other:page.md) and [that](./missing:page.md).",
    ]);
    const other = topic("other:page.md", "other", ["", "## Other", "Text."]);
    expect(shown(compile(a, other).issues)).toEqual([
      `${DIR}/a.md:10: dangling link "./missing:page.md": no such page`,
    ]);
  });

  it("accepts a page of exactly the size limit and refuses one byte more", () => {
    const base = topic("a.md", "a", ["", "## Long", "x"]).content;
    const exact = base + "y".repeat(MAX_PAGE_BYTES - Buffer.byteLength(base));
    expect(Buffer.byteLength(exact)).toBe(MAX_PAGE_BYTES);
    expect(shown(compile({ file: `${DIR}/a.md`, content: exact }).issues)).toEqual([]);
    expect(shown(compile({ file: `${DIR}/a.md`, content: `${exact}y` }).issues)).toEqual([
      `${DIR}/a.md:1: page is larger than 256 KiB; split it into topics`,
    ]);
  });

  it("refuses a script tag written with a space after <", () => {
    const a = topic("a.md", "a", ["", "## Tags", "Text.", "< script>alert(1)</script>"]);
    expect(shown(compile(a).issues)).toEqual([`${DIR}/a.md:11: raw HTML is not allowed in knowledge pages`]);
  });

  it("builds heading paths down from the first section", () => {
    const a = topic("a.md", "a", [
      "",
      "### Orphan",
      "Before any h2.",
      "",
      "## Parent",
      "Own.",
      "",
      "### Child",
      "Text.",
      "",
      "#### Grandchild",
      "Deep.",
    ]);
    const b = topic("b.md", "b", ["", "## Top", "", "### Under", "Text."]);
    const { kb, issues } = compile(a, b);
    expect(shown(issues)).toEqual([]);
    expect(kb.sections.map((s) => [s.index, s.path.join(" > ")])).toEqual([
      [0, "Topic a > Orphan"],
      [1, "Topic a > Parent"],
      [2, "Topic a > Parent > Child"],
      [3, "Topic a > Parent > Child > Grandchild"],
      [4, "Topic b > Top"],
      [5, "Topic b > Top > Under"],
    ]);
  });
});

describe("compileKnowledge: question pages", () => {
  const LABELS = ["Label: One", "Label: Two", "Label: Three", "Label: Four", "Label: Five"];
  const question = (name: string, key: string, options: string[][], extra: string[] = []) =>
    page(
      name,
      [
        `id: ${name.replace(".md", "")}`,
        'title: "The key: question"',
        "kind: question",
        `source: ${TECH_OPS}`,
        "levels: [1, 2, 3, 4, 5]",
        "question:",
        `  key: ${key}`,
        "  order: 1",
        "  quick: true",
        "  component: releases",
        "  prompt: How do you release?",
      ],
      [...options.flatMap((lines, i) => ["", `## Level ${i + 1}`, ...lines, "", "More."]), ...extra],
    );

  it("reports a duplicate question key at the key: line of the later page", () => {
    const opts = LABELS.map((l) => [l]);
    const { issues } = compile(question("q-b.md", "release", opts), question("q-a.md", "release", opts));
    expect(shown(issues)).toEqual([
      `${DIR}/q-b.md:8: duplicate question key "release" (also in ${DIR}/q-a.md)`,
    ]);
  });

  it("checks labels of Level 1-5 sections only, and allows 75 characters", () => {
    const opts = LABELS.map((l) => [l]);
    opts[1] = [`Label: ${"x".repeat(75)}`];
    opts[2] = [`Label: ${"x".repeat(76)}`];
    opts[3] = ["Button Label: four"];
    const q = question("q.md", "k", opts, [
      "",
      "## Notes",
      "No label.",
      "",
      "## Above level 3",
      "No label.",
      "",
      "## Level 3 notes",
      "No label.",
    ]);
    expect(shown(compile(q).issues)).toEqual([
      `${DIR}/q.md:25: button label is 76 characters; at most 75`,
      `${DIR}/q.md:30: "Level 4" must start with a line "Label: <button text>"`,
    ]);
  });

  it("reads a label from the first line only", () => {
    expect(optionLabel({ markdown: "Label:Yes we do  \n\nMore." })).toBe("Yes we do");
    expect(optionLabel({ markdown: "Label:   spaced out" })).toBe("spaced out");
    expect(optionLabel({ markdown: "Text first\nLabel: late" })).toBeUndefined();
    expect(optionLabel({ markdown: "A Label: inside" })).toBeUndefined();
  });
});
