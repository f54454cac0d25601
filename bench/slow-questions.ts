// Which questions make the tail of answer latency: `node --import tsx bench/slow-questions.ts`.
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { compileKnowledge } from "../src/core/knowledge/compile.js";
import { readEvalCases } from "../src/core/knowledge/evaluate.js";
import { readKnowledgeFiles } from "../src/core/knowledge/load.js";

const engine = new AnswerEngine(compileKnowledge(await readKnowledgeFiles()).kb);
const questions = readEvalCases(new URL("../test/fixtures/questions/", import.meta.url)).map(
  (c) => c.question,
);
for (let i = 0; i < 2000; i++) engine.answer(questions[i % questions.length]!, { teamLevel: 2 });
const times = questions.flatMap((q) =>
  [1, 2, 3, 4, 5].map((teamLevel) => {
    const runs: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t = performance.now();
      engine.answer(q, { teamLevel });
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return { q: `[level ${teamLevel}] ${q}`, ms: runs[4]! };
  }),
);
times.sort((a, b) => b.ms - a.ms);
for (const t of times.slice(0, 15)) console.log(t.ms.toFixed(2), t.q);
