import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileKnowledge } from "../../../../src/core/knowledge/compile.js";
import { checkFigures, figuresIn, normaliseFigure } from "../../../../src/core/knowledge/figures.js";
import { readFigureLists } from "../../../../src/core/knowledge/load.js";
import { formatIssue, type SourceFile } from "../../../../src/core/knowledge/types.js";
import { realKnowledge } from "../../../support/knowledge.js";

const TECH_OPS = "002_9374905fa16d7cca.txt";
const RESEARCH = "003_e7abb61b6f35453a.txt";

function topic(file: string, source: string, body: string[], facts: string[] = []): SourceFile {
  const id = path.basename(file, ".md");
  return {
    file,
    content: [
      "---",
      `id: ${id}`,
      `title: "Page ${id}"`,
      "kind: topic",
      `source: ${source}`,
      "levels: []",
      ...facts,
      "---",
      ...body,
    ].join("\n"),
  };
}

const LISTS = {
  "tech-ops": [
    { figure: "40%", about: "fewer incidents" },
    { figure: "> 90%", about: "uptime" },
  ],
  wardley: [{ figure: "3x", about: "faster" }],
};

describe("figuresIn and normaliseFigure", () => {
  it("finds figures in a comparable form", () => {
    expect(figuresIn("Incidents fell 40% and cost $1.5M, 3x faster, < 5% left")).toEqual([
      "40%",
      "$1.5m",
      "3x",
      "5%",
    ]);
  });

  it("lowercases, unifies dashes, drops spaces and a leading comparison", () => {
    expect(normaliseFigure("$1.5M")).toBe("$1.5m");
    expect(normaliseFigure("5\u201310%")).toBe("5-10%");
    expect(normaliseFigure("> 9 0 %")).toBe("90%");
    expect(normaliseFigure("<5%")).toBe("5%");
    expect(normaliseFigure("5%>")).toBe("5%>");
  });
});

describe("checkFigures", () => {
  it("finds no unlisted figure in the real knowledge base", async () => {
    const { kb } = await realKnowledge();
    const lists = await readFigureLists();
    expect(Object.keys(lists)).toEqual([
      "case-study",
      "enterprise",
      "frameworks",
      "research",
      "tech-ops",
      "wardley",
    ]);
    expect(checkFigures(kb, lists).map(formatIssue)).toEqual([]);
  });

  it("reports each figure a page states that its guide's list lacks", () => {
    const { kb, issues } = compileKnowledge([
      topic(
        "knowledge/tech-ops/a.md",
        TECH_OPS,
        [
          "",
          "Chapter 2",
          "",
          "## 3x faster",
          "Incidents fell 40% with 90% uptime.",
          "",
          "## Costs",
          "It saved 7x and 3x.",
        ],
        [
          "facts:",
          "  - about: success-rate",
          "    level: 2",
          "    value: 55%",
          "    says: Deployments succeed 55% of the time now",
          "  - about: duration",
          "    level: 3",
          "    value: 2x",
          "    says: 2x faster rollbacks in total.",
        ],
      ),
      topic("knowledge/several/b.md", "several", ["", "## Compared", "Both 3x and 40% hold; 8x does not."]),
      topic("knowledge/research/c.md", RESEARCH, ["", "## Unlisted", "A 99% figure with no list to check."]),
    ]);
    expect(issues).toEqual([]);
    expect(checkFigures(kb, LISTS).map(formatIssue)).toEqual([
      'knowledge/several/b.md:9: figure "8x" is not in the guides\' figure list (knowledge/figures/*.json): the guide does not state it',
      'knowledge/tech-ops/a.md:20: figure "3x" is not in the tech-ops figure list (knowledge/figures/tech-ops.json): the guide does not state it',
      'knowledge/tech-ops/a.md:23: figure "7x" is not in the tech-ops figure list (knowledge/figures/tech-ops.json): the guide does not state it',
      'knowledge/tech-ops/a.md:1: figure "55%" is not in the tech-ops figure list (knowledge/figures/tech-ops.json): the guide does not state it',
      'knowledge/tech-ops/a.md:1: figure "2x" is not in the tech-ops figure list (knowledge/figures/tech-ops.json): the guide does not state it',
    ]);
  });
});

describe("readFigureLists", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const NAMES = ["m", "c", "x", "a", "q", "e", "z", "b", "k", "h", "t", "d"];

  it("reads the figure lists in name order, .json files only", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kb-figures-"));
    mkdirSync(path.join(dir, "figures"));
    for (const name of NAMES)
      writeFileSync(
        path.join(dir, "figures", `${name}.json`),
        JSON.stringify([{ figure: `${name}%`, about: name }]),
      );
    writeFileSync(path.join(dir, "figures", "notes.txt"), "not a list");
    writeFileSync(path.join(dir, "figures", "v.jsonl.json"), "[]");
    writeFileSync(path.join(dir, "top.json"), "[]");
    const lists = await readFigureLists(dir);
    expect(Object.keys(lists)).toEqual([...NAMES, "v.jsonl"].sort());
    expect(lists.k).toEqual([{ figure: "k%", about: "k" }]);
  });

  it("reads no figure lists from a folder without them", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kb-figures-"));
    expect(await readFigureLists(dir)).toEqual({});
  });
});
