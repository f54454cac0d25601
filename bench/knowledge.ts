import { readdirSync, readFileSync } from "node:fs";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { compileKnowledge } from "../src/core/knowledge/compile.js";
import { readKnowledgeFiles } from "../src/core/knowledge/load.js";
import { type BenchRow, percentile } from "./table.js";

/** Knowledge compile time, answer latency over many questions, and heap. */
export async function benchKnowledge(): Promise<BenchRow[]> {
  const files = await readKnowledgeFiles();
  compileKnowledge(files); // warm the JIT before measuring
  const compileRuns: number[] = [];
  let kb = compileKnowledge(files).kb;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    kb = compileKnowledge(files).kb;
    compileRuns.push(performance.now() - t);
  }
  const t0 = performance.now();
  const engine = new AnswerEngine(kb);
  const indexMs = performance.now() - t0;

  const dir = new URL("../test/fixtures/questions/", import.meta.url);
  const questions = readdirSync(dir).flatMap((f) =>
    (JSON.parse(readFileSync(new URL(f, dir), "utf8")) as { question: string }[]).map((c) => c.question),
  );
  questions.push(
    "what is the capital of France",
    "what should we do next?",
    "level 2 to 3?",
    "more roadmap-2-to-3#checklist 2",
  );
  const total = 10_000;
  for (let i = 0; i < 500; i++) engine.answer(questions[i % questions.length]!, { teamLevel: 2 });
  const latencies = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const q = questions[i % questions.length]!;
    const t = performance.now();
    engine.answer(q, { teamLevel: (i % 5) + 1 });
    latencies[i] = performance.now() - t;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  const compileSorted = compileRuns.sort((a, b) => a - b);
  return [
    {
      name: "knowledge compile (median of 20)",
      value: percentile(compileSorted, 50),
      unit: "ms",
      target: "< 200 ms",
      ok: percentile(compileSorted, 50) < 200,
    },
    { name: "search index build", value: indexMs, unit: "ms" },
    {
      name: "compile + index (cold start of the engine)",
      value: percentile(compileSorted, 50) + indexMs,
      unit: "ms",
      target: "< 200 ms",
      ok: percentile(compileSorted, 50) + indexMs < 200,
    },
    { name: `answer latency p50 (${total} questions)`, value: percentile(sorted, 50), unit: "ms" },
    {
      name: `answer latency p99 (${total} questions)`,
      value: percentile(sorted, 99),
      unit: "ms",
      target: "< 2 ms",
      ok: percentile(sorted, 99) < 2,
    },
    { name: "heap used after knowledge bench", value: heapMb, unit: "MiB" },
    { name: "pages / sections", value: kb.pages.length, unit: `/ ${kb.sections.length}` },
  ];
}
