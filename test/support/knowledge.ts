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

/** The same folding the evaluation uses, for tests that look for a figure in the knowledge base. */
export { fold } from "../../src/core/knowledge/evaluate.js";
