import MiniSearch from "minisearch";
import { AnswerEngine, MIN_CONFIDENCE } from "../src/core/knowledge/answer.js";
import { CHAT_MAX } from "../src/core/knowledge/chat.js";
import { compileKnowledge } from "../src/core/knowledge/compile.js";
import { contextOf, type EvalCase, judge, readEvalCases, tally } from "../src/core/knowledge/evaluate.js";
import { readKnowledgeFiles } from "../src/core/knowledge/load.js";
import { type BenchRow, percentile } from "./table.js";

/** Knowledge compile time, answer latency over many questions, and heap. */
export async function benchKnowledge(): Promise<BenchRow[]> {
  const files = await readKnowledgeFiles();
  // The first compile and index in this process, JIT cold: what a freshly started bot pays once.
  let t = performance.now();
  let kb = compileKnowledge(files).kb;
  const coldCompileMs = performance.now() - t;
  t = performance.now();
  let engine = new AnswerEngine(kb);
  const coldIndexMs = performance.now() - t;
  const compileRuns: number[] = [];
  const indexRuns: number[] = [];
  const bothRuns: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    kb = compileKnowledge(files).kb;
    const t1 = performance.now();
    engine = new AnswerEngine(kb);
    const t2 = performance.now();
    compileRuns.push(t1 - t0);
    indexRuns.push(t2 - t1);
    bothRuns.push(t2 - t0);
  }
  const median = (runs: number[]) =>
    percentile(
      [...runs].sort((a, b) => a - b),
      50,
    );

  const cases = readEvalCases(new URL("../test/fixtures/questions/", import.meta.url));
  const questions = cases.map((c) => c.question);
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
    const start = performance.now();
    engine.answer(q, { teamLevel: (i % 5) + 1 });
    latencies[i] = performance.now() - start;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  return [
    { name: "knowledge compile (median of 20)", value: median(compileRuns), unit: "ms" },
    { name: "search index build (median of 20)", value: median(indexRuns), unit: "ms" },
    {
      name: "compile + index (median of 20)",
      value: median(bothRuns),
      unit: "ms",
      target: "< 200 ms",
      ok: median(bothRuns) < 200,
    },
    {
      name: "compile + index, first run of the process (JIT cold)",
      value: coldCompileMs + coldIndexMs,
      unit: "ms",
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
    ...accuracyRows(engine, kb, cases),
    { name: "pages / sections", value: kb.pages.length, unit: `/ ${kb.sections.length}` },
  ];
}

/**
 * Accuracy per kind of question on the tuning and held-out parts, for the engine and for a plain
 * MiniSearch index over the same sections (top hit quoted; no hit declines), with default options and
 * with the engine's stop words; then the precision and recall of the answer threshold.
 */
function accuracyRows(engine: AnswerEngine, kb: AnswerEngine["kb"], cases: EvalCase[]): BenchRow[] {
  const docs = kb.sections
    .filter((s) => s.page.meta.kind !== "question")
    .map((s) => ({ id: s.index, title: s.page.meta.title, heading: s.heading, text: s.text }));
  const plain = new MiniSearch({ fields: ["title", "heading", "text"] });
  plain.addAll(docs);
  const stop = new Set(STOP_WORDS.split(" "));
  const stopped = new MiniSearch({
    fields: ["title", "heading", "text"],
    processTerm: (term) => (stop.has(term.toLowerCase()) ? null : term.toLowerCase()),
  });
  stopped.addAll(docs);
  // What the issue proposed for the index: fuzzy and prefix matching with field boosts, our stop words.
  const tuned = new MiniSearch({
    fields: ["title", "heading", "text"],
    processTerm: (term) => (stop.has(term.toLowerCase()) ? null : term.toLowerCase()),
    searchOptions: { boost: { title: 2, heading: 3 }, fuzzy: 0.2, prefix: true },
  });
  tuned.addAll(docs);
  const viaIndex = (index: MiniSearch) => (c: EvalCase) => {
    const top = index.search(c.question)[0];
    const s = top ? kb.sections[top.id as number] : undefined;
    return judge(c, {
      answer: s ? s.fullMarkdown.slice(0, CHAT_MAX) : "",
      sources: s ? [{ file: s.page.file }] : [],
      declined: !s,
    }).ok;
  };
  const ours = (c: EvalCase) => {
    const a = engine.answer(c.question, contextOf(c));
    return judge(c, { ...a, declined: a.intent === "unknown" }).ok;
  };
  const rows: BenchRow[] = [];
  for (const [part, list] of [
    ["tuning", cases.filter((c) => !c.holdout)],
    ["held out", cases.filter((c) => c.holdout)],
    ["whole set", cases],
  ] as const) {
    if (part === "whole set") {
      const all = tally(list, ours).at(-1)!;
      const pct = (100 * all.passed) / Math.max(1, all.total);
      rows.push({
        name: `accuracy, whole set (n=${all.total})`,
        value: pct,
        unit: "%",
        target: ">= 95%",
        ok: pct >= 95,
      });
      continue;
    }
    const columns = [ours, viaIndex(plain), viaIndex(stopped), viaIndex(tuned)].map((f) => tally(list, f));
    for (const [i, t] of columns[0]!.entries()) {
      const pct = (x: { passed: number; total: number }) => (100 * x.passed) / Math.max(1, x.total);
      rows.push({
        name: `accuracy, ${part}, ${t.kind} (n=${t.total})`,
        value: pct(t),
        unit: `% (MiniSearch ${pct(columns[1]![i]!).toFixed(0)}%, +stop words ${pct(columns[2]![i]!).toFixed(0)}%, +fuzzy, prefix, boosts ${pct(columns[3]![i]!).toFixed(0)}%)`,
      });
    }
  }
  // The threshold: answered means confidence at or above it.
  const answered = cases.filter((c) => engine.answer(c.question, contextOf(c)).confidence >= MIN_CONFIDENCE);
  const shouldAnswer = cases.filter((c) => !c.decline);
  const precision = answered.filter((c) => !c.decline).length / Math.max(1, answered.length);
  const recall = answered.filter((c) => !c.decline).length / Math.max(1, shouldAnswer.length);
  rows.push(
    {
      name: `answer threshold ${MIN_CONFIDENCE}: precision (answered that should be)`,
      value: 100 * precision,
      unit: "%",
    },
    {
      name: `answer threshold ${MIN_CONFIDENCE}: recall (should be answered, were)`,
      value: 100 * recall,
      unit: "%",
    },
  );
  return rows;
}

const STOP_WORDS =
  "a an and are as at be but by can do does for from had has have how i if in into is it its me my of on or our so than that the their them then there these they this to us was we were what when where which who why will with would you your about should";
