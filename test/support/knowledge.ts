import { AnswerEngine } from "../../src/core/knowledge/answer.js";
import { loadKnowledge } from "../../src/core/knowledge/load.js";
import type { KnowledgeBase } from "../../src/core/knowledge/types.js";

let cached: Promise<{ kb: KnowledgeBase; engine: AnswerEngine }> | undefined;

/** The real knowledge base, compiled once per test file. */
export function realKnowledge(): Promise<{ kb: KnowledgeBase; engine: AnswerEngine }> {
  cached ??= loadKnowledge().then(({ kb, issues }) => {
    if (issues.length > 0)
      throw new Error(`knowledge/ has problems: ${issues.map((i) => i.message).join("; ")}`);
    return { kb, engine: new AnswerEngine(kb) };
  });
  return cached;
}

/** Folds case, dash style and spacing so that "3–6 Months" finds "3-6 months". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‐-―−]/g, "-")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ");
}
