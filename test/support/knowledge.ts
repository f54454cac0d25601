import { readFileSync } from "node:fs";
import { AnswerEngine } from "../../src/core/knowledge/answer.js";
import type { KnowledgeBase, Page, Section } from "../../src/core/knowledge/types.js";

/**
 * The compiled knowledge base stored as data (test/fixtures/knowledge.json), so that the tests which only
 * need answers do not compile knowledge/ in every file. Mutation testing re-runs each mutant's covering
 * test files, so a compile per file used to make every test of the engine cover (and pay for) the
 * compiler. test/unit/core/knowledge/stored.test.ts compiles knowledge/ and fails when this file differs;
 * `npm run fixtures:update` rewrites it.
 */
export const knowledgeFile = new URL("../fixtures/knowledge.json", import.meta.url);

type StoredSection = Omit<Section, "page">;
type StoredPage = Omit<Page, "sections"> & { sections: StoredSection[] };

/** The knowledge base as JSON text: pages with their sections, without the sections' links back. */
export function knowledgeJson(kb: KnowledgeBase): string {
  const pages: StoredPage[] = kb.pages.map((page) => ({
    ...page,
    sections: page.sections.map(({ page: _page, ...section }) => section),
  }));
  return `${JSON.stringify(pages, null, 1)}\n`;
}

/** Rebuilds the knowledge base from its JSON text: the same objects the compiler returns. */
export function knowledgeFromJson(json: string): KnowledgeBase {
  const stored = JSON.parse(json) as StoredPage[];
  const sections: Section[] = [];
  const pages = stored.map((p) => {
    const page: Page = { ...p, sections: [] };
    page.sections = p.sections.map((s) => ({ ...s, page }));
    return page;
  });
  for (const section of pages.flatMap((p) => p.sections)) sections[section.index] = section;
  return { pages, sections, byId: new Map(pages.map((p) => [p.meta.id, p])) };
}

let cached: { kb: KnowledgeBase; engine: AnswerEngine } | undefined;

/** The real knowledge base (as stored in test/fixtures/knowledge.json), read once per test file. */
export async function realKnowledge(): Promise<{ kb: KnowledgeBase; engine: AnswerEngine }> {
  if (!cached) {
    const kb = knowledgeFromJson(readFileSync(knowledgeFile, "utf8"));
    cached = { kb, engine: new AnswerEngine(kb) };
  }
  return cached;
}

/** The same folding the evaluation uses, for tests that look for a figure in the knowledge base. */
export { fold } from "../../src/core/knowledge/evaluate.js";
