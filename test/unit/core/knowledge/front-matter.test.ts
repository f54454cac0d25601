import { describe, expect, it } from "vitest";
import { compileKnowledge } from "../../../../src/core/knowledge/compile.js";
import { formatIssue } from "../../../../src/core/knowledge/types.js";

const FILE = "knowledge/t/p.md";
const BODY = ["", "## Part", "Text."];
const compileFront = (front: string[]) => {
  const { kb, issues } = compileKnowledge([
    { file: FILE, content: ["---", ...front, "---", ...BODY].join("\n") },
  ]);
  return { page: kb.pages[0], issues: issues.map(formatIssue) };
};
const TOPIC = ["id: p", 'title: "Page"', "kind: topic", "source: several", "levels: []"];

describe("parseFrontMatter: facts", () => {
  it("names the list item of a fact level that is off its scale", () => {
    const { issues } = compileFront([
      ...TOPIC,
      "facts:",
      "  - about: models",
      "    scale: research-0-4",
      "    level:",
      "      - 1",
      "      - 5",
      "    value: ten",
      "    says: Teams run ten models.",
    ]);
    expect(issues).toEqual([
      `${FILE}:12: bad front matter: facts.0.level.1: level 5 is not on the research-0-4 scale (0-4)`,
    ]);
  });

  it("names a single fact level that is off the primary scale", () => {
    const { issues } = compileFront([
      ...TOPIC,
      "facts:",
      "  - about: models",
      "    level: 0",
      "    value: ten",
      "    says: Teams run ten models.",
    ]);
    expect(issues).toEqual([
      `${FILE}:9: bad front matter: facts.0.level: level 0 is not on the tech-ops-1-5 scale (1-5)`,
    ]);
  });

  it("gives a fact the page's scale, else the primary one", () => {
    const fact = [
      "facts:",
      "  - about: models",
      "    level: 2",
      "    value: ten",
      "    says: Teams run ten models.",
    ];
    expect(compileFront([...TOPIC, ...fact]).page?.meta.facts[0]?.scale).toBe("tech-ops-1-5");
    const level = compileKnowledge([
      {
        file: FILE,
        content: [
          "---",
          "id: s2",
          'title: "Stage 2"',
          "kind: level",
          "source: 003_e7abb61b6f35453a.txt",
          "levels: []",
          "scale: research-0-4",
          "level: 2",
          "name: Two",
          ...fact,
          "---",
          "",
          "## What it looks like",
          "Looks.",
          "",
          "## Typical signs",
          "Signs.",
        ].join("\n"),
      },
    ]);
    expect(level.issues.map(formatIssue)).toEqual([]);
    expect(level.kb.pages[0]?.meta.facts[0]?.scale).toBe("research-0-4");
  });

  it("points a fact that does not contain its value at the fact", () => {
    const { issues } = compileFront([
      ...TOPIC,
      "facts:",
      "  - about: models",
      "    level: 2",
      "    value: ten",
      "    says: Teams run a dozen models.",
    ]);
    expect(issues).toEqual([
      `${FILE}:8: bad front matter: facts.0: says must contain the value word for word`,
    ]);
  });
});

describe("parseFrontMatter: YAML", () => {
  it("refuses duplicate keys with the first line of the YAML error", () => {
    const { issues } = compileFront([...TOPIC, "id: again"]);
    expect(issues).toEqual([`${FILE}:7: bad front matter: Map keys must be unique`]);
  });

  it("caps alias expansion at 50", () => {
    const aliases = Array.from({ length: 60 }, () => "*t").join(", ");
    const { issues } = compileFront([
      "id: p",
      "title: &t Page",
      "kind: topic",
      "source: several",
      "levels: []",
      `aliases: [${aliases}]`,
    ]);
    expect(issues).toEqual([
      `${FILE}:2: bad front matter: ReferenceError: Excessive alias count indicates a resource exhaustion attack`,
    ]);
  });

  it("reports front matter that is not a map at its first line", () => {
    const { issues } = compileFront(["", "", "just text"]);
    expect(issues).toEqual([`${FILE}:2: bad front matter: Invalid input: expected object, received string`]);
  });

  it("points an unknown nested key at the key itself", () => {
    const { issues } = compileFront([
      ...TOPIC.filter((l) => !l.startsWith("kind")),
      "kind: question",
      "question:",
      "  key: k",
      "  order: 1",
      "  quick: true",
      "  component: c",
      "  prompt: Prompt text?",
      "  extra: nope",
    ]);
    expect(issues).toEqual([`${FILE}:13: bad front matter: question: Unrecognized key: "extra"`]);
  });

  it("reports an unknown key that is not a string at the first line", () => {
    const { issues } = compileFront([...TOPIC, "5: five"]);
    expect(issues).toEqual([`${FILE}:2: bad front matter: Unrecognized key: "5"`]);
  });
});
