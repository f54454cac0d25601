import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../../../src/core/knowledge/load.js";
import { knowledgeFile, knowledgeFromJson, knowledgeJson } from "../../../support/knowledge.js";

/**
 * Most tests read the compiled knowledge base from test/fixtures/knowledge.json (test/support/knowledge.ts).
 * This one compiles knowledge/ and fails when the stored copy differs, so it cannot go stale silently.
 * After editing knowledge/, rewrite it with `npm run fixtures:update` and review the diff.
 */
describe("the stored knowledge base", () => {
  it("equals what knowledge/ compiles to", async () => {
    const { kb, issues } = await loadKnowledge();
    expect(issues).toEqual([]);
    const json = knowledgeJson(kb);
    if (process.env.UPDATE_FIXTURES === "1") writeFileSync(knowledgeFile, json);
    const stored = readFileSync(knowledgeFile, "utf8");
    expect(stored, "test/fixtures/knowledge.json is stale: run npm run fixtures:update").toBe(json);
  });

  it("rebuilds into the compiler's shape: sections in order, each linked to its page", async () => {
    const { kb } = await loadKnowledge();
    const rebuilt = knowledgeFromJson(knowledgeJson(kb));
    expect(rebuilt.sections.map((s) => `${s.page.file}#${s.heading}`)).toEqual(
      kb.sections.map((s) => `${s.page.file}#${s.heading}`),
    );
    expect(rebuilt.sections.every((s, i) => s.index === i && s.page.sections.includes(s))).toBe(true);
    expect([...rebuilt.byId.keys()]).toEqual([...kb.byId.keys()]);
    expect(rebuilt.pages.length).toBeGreaterThan(50);
  });
});
