import { readdirSync, readFileSync } from "node:fs";
import type { AnswerContext, AnswerEngine } from "./answer.js";

/** The evaluation set: questions written from the guides, each with what its answer must contain. */

export interface EvalCase {
  question: string;
  /** What kind of question it is (duration, figure, cost, tools, level, team, multi, typo, decline, ...). */
  kind: string;
  /** Facts the answer's first message must state, word for word (case and dash style folded). */
  mustInclude: string[];
  /** The page(s) the answer may cite; absent for questions that must be declined. */
  source?: string | string[];
  decline?: boolean;
  teamLevel?: number;
  weakest?: string[];
  /** Set when the case comes from the held-out part of the set. */
  holdout?: boolean;
  set?: string;
}

/** Reads every *.json list in a folder; lists in its holdout/ sub-folder are marked held out. */
export function readEvalCases(dir: URL): EvalCase[] {
  const read = (folder: URL, holdout: boolean): EvalCase[] =>
    readdirSync(folder)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .flatMap((set) =>
        (JSON.parse(readFileSync(new URL(set, folder), "utf8")) as EvalCase[]).map((c) => ({
          ...c,
          set: holdout ? `holdout/${set}` : set,
          holdout,
        })),
      );
  return [...read(dir, false), ...read(new URL("holdout/", dir), true)];
}

/** Folds case, dash style and spacing so that "3–6 Months" finds "3-6 months". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‐-―−]/g, "-")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ");
}

export interface Verdict {
  ok: boolean;
  why?: string;
}

/** Whether one answer passes: declined when it must be, else cites an allowed page and states every fact. */
export function judge(
  c: EvalCase,
  result: { answer: string; sources: { file: string }[]; declined: boolean },
): Verdict {
  if (c.decline) return result.declined ? { ok: true } : { ok: false, why: "answered; must decline" };
  if (result.declined) return { ok: false, why: "declined" };
  const cited = result.sources.map((s) => s.file);
  const allowed = [c.source ?? []].flat();
  if (!allowed.some((s) => cited.includes(s))) return { ok: false, why: `cites ${cited.join(", ")}` };
  const text = fold(result.answer);
  const missing = c.mustInclude.filter((f) => !text.includes(fold(f)));
  return missing.length > 0 ? { ok: false, why: `misses ${missing.join(", ")}` } : { ok: true };
}

export function contextOf(c: EvalCase): AnswerContext {
  return {
    ...(c.teamLevel !== undefined ? { teamLevel: c.teamLevel } : {}),
    ...(c.weakest ? { weakest: c.weakest } : {}),
  };
}

export interface Tally {
  kind: string;
  total: number;
  passed: number;
}

/** Accuracy per kind (and "all") for a way of answering. */
export function tally(cases: EvalCase[], pass: (c: EvalCase) => boolean): Tally[] {
  const byKind = new Map<string, Tally>();
  const all: Tally = { kind: "all", total: 0, passed: 0 };
  for (const c of cases) {
    const t = byKind.get(c.kind) ?? { kind: c.kind, total: 0, passed: 0 };
    byKind.set(c.kind, t);
    const ok = pass(c);
    t.total++;
    all.total++;
    if (ok) {
      t.passed++;
      all.passed++;
    }
  }
  return [...[...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind)), all];
}

export function engineVerdict(engine: AnswerEngine, c: EvalCase): Verdict {
  const result = engine.answer(c.question, contextOf(c));
  return judge(c, { ...result, declined: result.intent === "unknown" });
}
