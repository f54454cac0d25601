import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileKnowledge, MAX_LABEL, optionLabel } from "../../../../src/core/knowledge/compile.js";
import { loadKnowledge, REPO_ROOT, readKnowledgeFiles } from "../../../../src/core/knowledge/load.js";
import { formatIssue, type KnowledgeBase, type Section } from "../../../../src/core/knowledge/types.js";

const FIXTURES = "test/fixtures/kb";
const load = (folder: string) => loadKnowledge(path.join(REPO_ROOT, FIXTURES, folder), REPO_ROOT);

function section(kb: KnowledgeBase, id: string, heading: string): Section {
  const page = kb.byId.get(id);
  if (!page) throw new Error(`no page ${id}`);
  const found = page.sections.find((s) => s.heading === heading);
  if (!found) throw new Error(`no section "${heading}" in ${id}`);
  return found;
}

describe("compileKnowledge: the good fixture base", async () => {
  const { kb, issues } = await load("good");
  const ROADMAP = "Roadmap from level 2 to level 3: automated delivery";

  it("compiles with zero issues", () => {
    expect(issues.map(formatIssue)).toEqual([]);
  });

  it("compiles every page with its front matter", () => {
    expect(kb.pages.map((p) => p.file)).toEqual([
      `${FIXTURES}/good/frameworks/model-registry.md`,
      `${FIXTURES}/good/questions/q-release.md`,
      `${FIXTURES}/good/tech-ops/challenge-manual-releases.md`,
      `${FIXTURES}/good/tech-ops/level-2.md`,
      `${FIXTURES}/good/tech-ops/roadmap-2-to-3.md`,
    ]);
    expect(kb.pages.map((p) => p.meta.kind).sort()).toEqual([
      "challenge",
      "level",
      "question",
      "roadmap",
      "topic",
    ]);
    expect(kb.byId.get("good-roadmap-2-to-3")?.meta).toMatchObject({
      title: ROADMAP,
      from: 2,
      to: 3,
      duration: "4-8 months",
      exitScore: 3,
      levels: [2, 3],
    });
    expect(kb.byId.get("good-level-2")?.meta).toMatchObject({
      scale: "tech-ops-1-5",
      level: 2,
      name: "Repeatable releases",
    });
    expect(kb.byId.get("good-q-release")?.meta.question).toEqual({
      key: "good-release",
      order: 1,
      quick: true,
      component: "model-lifecycle",
      prompt: "How does a trained model get into production in your team?",
    });
    expect(kb.byId.get("good-model-registry")?.meta.aliases).toEqual(["model registry", "model catalogue"]);
  });

  it("splits pages into sections with heading paths, depths and source lines", () => {
    expect(section(kb, "good-roadmap-2-to-3", "Goal")).toMatchObject({
      line: 14,
      depth: 2,
      path: [ROADMAP, "Goal"],
    });
    expect(section(kb, "good-roadmap-2-to-3", "Checklist")).toMatchObject({ line: 17, depth: 2 });
    expect(section(kb, "good-roadmap-2-to-3", "Months 1-3: build the pipeline")).toMatchObject({
      line: 20,
      depth: 3,
      path: [ROADMAP, "Checklist", "Months 1-3: build the pipeline"],
    });
    expect(section(kb, "good-roadmap-2-to-3", "Months 3-8: watch what runs")).toMatchObject({
      line: 25,
      path: [ROADMAP, "Checklist", "Months 3-8: watch what runs"],
    });
    expect(section(kb, "good-roadmap-2-to-3", "Success criteria")).toMatchObject({
      line: 30,
      path: [ROADMAP, "Success criteria"],
    });
    expect(section(kb, "good-level-2", "What it looks like").line).toBe(17);
    expect(section(kb, "good-q-release", "Level 3").line).toBe(26);
    expect(section(kb, "good-model-registry", "Where it fits").line).toBe(16);
    expect(kb.byId.get("good-challenge-manual-releases")?.sections.map((s) => [s.heading, s.line])).toEqual([
      ["Symptom", 10],
      ["Root causes", 13],
      ["Solutions", 17],
    ]);
  });

  it("keeps the h1 and the lead text out of the sections", () => {
    const level = kb.byId.get("good-level-2")!;
    expect(level.sections.map((s) => s.heading)).toEqual([
      "What it looks like",
      "Typical signs",
      "What to improve next",
    ]);
    expect(level.intro).toBe(
      "A team at this level can get a model out, but every release still leans on the one person who remembers the steps.",
    );
    expect(kb.byId.get("good-model-registry")?.intro).toBe(
      "A model registry is the list of record for every model a team has trained.",
    );
    expect(kb.sections.length).toBeGreaterThan(0);
    expect(kb.sections.every((s) => s.depth >= 2)).toBe(true);
  });

  it("gives plain text without markdown syntax", () => {
    const looks = section(kb, "good-level-2", "What it looks like");
    expect(looks.markdown).toContain("**version control**");
    expect(looks.text).toBe(
      "Training code lives in version control and a shared requirements.txt pins the libraries. " +
        "Releases follow a written runbook and take about two weeks.",
    );
    const next = section(kb, "good-level-2", "What to improve next");
    expect(next.text).toBe(
      "Automate the release path first; the roadmap to level 3 lays it out step by step.",
    );
    const block = section(kb, "good-roadmap-2-to-3", "Months 1-3: build the pipeline");
    expect(block.text).toContain("Run unit and data tests on every commit");
    expect(block.text).not.toContain("[ ]");
    const fits = section(kb, "good-model-registry", "Where it fits");
    expect(fits.text).toContain("the alerting block covers the monitoring half");
    expect(kb.sections.length).toBeGreaterThan(0);
    for (const s of kb.sections) {
      expect(s.text, `${s.page.file}:${s.line}`).not.toMatch(/\*\*|`|\]\(|^#/m);
    }
  });

  it("quotes an h2 with its h3 sub-sections in fullMarkdown", () => {
    const checklist = section(kb, "good-roadmap-2-to-3", "Checklist");
    expect(checklist.markdown).toBe("The work runs in two overlapping blocks.");
    expect(checklist.fullMarkdown.startsWith("The work runs in two overlapping blocks.")).toBe(true);
    expect(checklist.fullMarkdown).toContain("### Months 1-3: build the pipeline");
    expect(checklist.fullMarkdown).toContain("- [ ] Package each model as a container image");
    expect(checklist.fullMarkdown).toContain("### Months 3-8: watch what runs");
    expect(checklist.fullMarkdown).toContain("- [ ] Keep a rollback target for every release");
    expect(checklist.fullMarkdown).not.toContain("Success criteria");
    expect(checklist.fullMarkdown.indexOf("Months 1-3")).toBeLessThan(
      checklist.fullMarkdown.indexOf("Months 3-8"),
    );
    const success = section(kb, "good-roadmap-2-to-3", "Success criteria");
    expect(success.fullMarkdown).toBe(success.markdown);
  });

  it("reads the Label line of every question option", () => {
    const options = kb.byId.get("good-q-release")!.sections;
    expect(options.map((s) => s.heading)).toEqual(["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]);
    expect(optionLabel(options[0]!)).toBe("It does not; our models stay on laptops");
    for (const option of options) expect(optionLabel(option)?.length).toBeLessThanOrEqual(MAX_LABEL);
  });

  it("numbers sections in order", () => {
    expect(kb.sections.length).toBe(18);
    kb.sections.forEach((s, i) => {
      expect(s.index).toBe(i);
    });
  });

  it("compiles the same with CRLF line endings", async () => {
    const files = await readKnowledgeFiles(path.join(REPO_ROOT, FIXTURES, "good"), REPO_ROOT);
    const crlf = compileKnowledge(files.map((f) => ({ ...f, content: f.content.replace(/\n/g, "\r\n") })));
    expect(crlf.issues.map(formatIssue)).toEqual([]);
    expect(crlf.kb.sections.map((s) => [s.heading, s.line])).toEqual(
      kb.sections.map((s) => [s.heading, s.line]),
    );
  });
});

interface Case {
  name: string;
  file: string;
  line: number;
  message: string;
}

const BROKEN: Case[] = [
  { name: "missing-front-matter", file: "page.md", line: 1, message: "missing front matter" },
  {
    name: "bad-yaml",
    file: "page.md",
    line: 3,
    message: "bad front matter: Nested mappings are not allowed in compact mappings",
  },
  {
    name: "unknown-kind",
    file: "page.md",
    line: 4,
    message: "bad front matter: kind: Invalid discriminator value",
  },
  {
    name: "wrong-type",
    file: "page.md",
    line: 6,
    message: "bad front matter: levels: Invalid input: expected array",
  },
  // A missing key has no line of its own; it is reported at the first line of the front matter.
  {
    name: "missing-id",
    file: "page.md",
    line: 2,
    message: "bad front matter: id: Invalid input: expected string",
  },
  {
    name: "duplicate-id",
    file: "b-second.md",
    line: 2,
    message: `duplicate id "broken-same-id" (first used in ${FIXTURES}/broken/duplicate-id/a-first.md)`,
  },
  {
    name: "roadmap-no-duration",
    file: "roadmap.md",
    line: 2,
    message: "bad front matter: duration: Invalid input: expected string",
  },
  // A missing section is reported where the body starts, just under the front matter.
  {
    name: "roadmap-no-success-criteria",
    file: "roadmap.md",
    line: 12,
    message: 'a roadmap page needs a "## Success criteria" section',
  },
  // Stage 5 is off the research scale (0-4): the level of the second fact is named, not the page.
  {
    name: "fact-off-scale",
    file: "stage.md",
    line: 16,
    message: "bad front matter: facts.1.level: level 5 is not on the research-0-4 scale (0-4)",
  },
  { name: "empty-section", file: "page.md", line: 13, message: 'empty section "What to record"' },
  // The link is on the third line of a list: the issue names that line, not the list's first.
  {
    name: "dangling-link",
    file: "page.md",
    line: 16,
    message: 'dangling link "incident-reviews.md": no such page',
  },
  {
    name: "dangling-anchor",
    file: "page.md",
    line: 14,
    message: `dangling link "retraining.md#when-to-retrain-now": ${FIXTURES}/broken/dangling-anchor/retraining.md has no heading #when-to-retrain-now`,
  },
  { name: "long-label", file: "question.md", line: 26, message: "button label is 85 characters; at most 75" },
  {
    name: "missing-label",
    file: "question.md",
    line: 26,
    message: '"Level 3" must start with a line "Label: <button text>"',
  },
];

describe("compileKnowledge: broken pages", () => {
  it.each(BROKEN)("$name: $file:$line", async ({ name, file, line, message }) => {
    const { issues } = await load(`broken/${name}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({
      file: `${FIXTURES}/broken/${name}/${file}`,
      line,
      message: expect.any(String),
    });
    expect(issues[0]!.message).toContain(message);
  });

  it("still compiles the other pages of a base with a broken page", async () => {
    const { kb } = await load("broken/dangling-link");
    expect(kb.pages.map((p) => p.meta.id).sort()).toEqual([
      "broken-dangling-link",
      "broken-dangling-link-canary",
      "broken-dangling-link-shadow",
    ]);
  });

  it("drops a page whose front matter does not validate", async () => {
    const { kb } = await load("broken/wrong-type");
    expect(kb.pages).toEqual([]);
  });

  it("reports each link on its own line inside paragraphs, lists, tables and quotes", () => {
    const content = [
      "---", // 1
      "id: links",
      'title: "Links"',
      "kind: topic",
      "source: several",
      "levels: []",
      "---",
      "",
      "## Links", // 9
      "A paragraph that starts here,",
      "goes on with [one](missing-one.md) link", // 11
      "and ends with [two](missing-two.md).", // 12
      "",
      "- first item",
      "- second item", // 15
      "- [three](missing-three.md) and [four](missing-four.md)", // 16
      "",
      "| a | b |",
      "|---|---|",
      "| x | y |",
      "| [five](missing-five.md) | z |", // 21
      "",
      "> quoted",
      "> [six](missing-six.md)", // 24
      "",
    ].join("\n");
    const { issues } = compileKnowledge([{ file: "kb/links.md", content }]);
    expect(issues.map((i) => [i.line, /"([^"]+)"/.exec(i.message)?.[1]])).toEqual([
      [11, "missing-one.md"],
      [12, "missing-two.md"],
      [16, "missing-three.md"],
      [16, "missing-four.md"],
      [21, "missing-five.md"],
      [24, "missing-six.md"],
    ]);
  });
});

const HOSTILE: (Case & { kept?: boolean })[] = [
  { name: "alias-bomb", file: "page.md", line: 2, message: "Excessive alias count" },
  {
    name: "custom-tag",
    file: "page.md",
    line: 3,
    message: "bad front matter: Unresolved tag: tag:yaml.org,2002:js/function",
  },
  { name: "proto-key", file: "page.md", line: 8, message: 'bad front matter: Unrecognized key: "__proto__"' },
  { name: "mention-channel", file: "page.md", line: 12, message: "contains a chat mention or broadcast" },
  { name: "mention-user", file: "page.md", line: 11, message: "contains a chat mention or broadcast" },
  { name: "script-tag", file: "page.md", line: 13, message: "raw HTML is not allowed" },
  {
    name: "javascript-link",
    file: "page.md",
    line: 12,
    message: 'unsafe link "javascript:alert(1)"',
    kept: true,
  },
  { name: "nul-byte", file: "page.md", line: 12, message: "not valid UTF-8 text" },
  { name: "huge-page", file: "page.md", line: 1, message: "page is larger than 256 KiB" },
  {
    name: "escaping-link",
    file: "page.md",
    line: 12,
    message: 'dangling link "../../../../etc/passwd.md": no such page',
    kept: true,
  },
];

describe("compileKnowledge: hostile pages", () => {
  it.each(HOSTILE)("$name: $file:$line", async ({ name, file, line, message, kept }) => {
    const { kb, issues } = await load(`hostile/${name}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({
      file: `${FIXTURES}/hostile/${name}/${file}`,
      line,
      message: expect.any(String),
    });
    expect(issues[0]!.message).toContain(message);
    // Pages that cannot be trusted at all never reach the knowledge base.
    expect(kb.pages).toHaveLength(kept ? 1 : 0);
  });

  it("the fixtures hold what they claim", () => {
    const read = (name: string) => readFileSync(path.join(REPO_ROOT, FIXTURES, "hostile", name, "page.md"));
    expect(read("nul-byte").includes(0)).toBe(true);
    expect(read("huge-page").length).toBeGreaterThan(300 * 1024);
  });

  it("a __proto__ key does not pollute Object.prototype", async () => {
    await load("hostile/proto-key");
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("kb:check", () => {
  const kbCheck = (folder: string) =>
    spawnSync(path.join("node_modules", ".bin", "tsx"), ["src/cli/kb-check.ts", folder], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });

  it("exits 0 on the good base", () => {
    const run = kbCheck(`${FIXTURES}/good`);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kb:check: 5 pages, 18 sections, no problems/);
  }, 60_000);

  it("exits 1 on a broken base and prints file:line: message", () => {
    const run = kbCheck(`${FIXTURES}/broken/dangling-link`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `${FIXTURES}/broken/dangling-link/page.md:16: dangling link "incident-reviews.md": no such page\n`,
    );
    expect(run.stderr).toContain("kb:check: 1 problem(s) in 3 page(s)");
  }, 60_000);
});

describe("the real knowledge base", async () => {
  const { kb, issues } = await loadKnowledge();

  it("compiles with zero issues", () => {
    expect(issues.map(formatIssue)).toEqual([]);
    expect(kb.pages.length).toBeGreaterThan(0);
  });

  it("points every section at its heading line", () => {
    const files = new Map<string, string[]>();
    expect(kb.sections.length).toBeGreaterThan(0);
    for (const s of kb.sections) {
      let lines = files.get(s.page.file);
      if (!lines) {
        lines = readFileSync(path.join(REPO_ROOT, s.page.file), "utf8").split(/\r?\n/);
        files.set(s.page.file, lines);
      }
      expect(lines[s.line - 1], `${s.page.file}:${s.line}`).toMatch(new RegExp(`^#{${s.depth}} `));
    }
  });
});
