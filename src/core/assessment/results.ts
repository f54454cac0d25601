import type { QuestionBank } from "./bank.js";
import { COMPONENTS, componentName } from "./components.js";
import { type Band, levelFloor, levelFromScore, round1, scoreOf } from "./scoring.js";

/** A member's answers: question key -> level 1-5, or null when skipped. */
export type Answers = Readonly<Record<string, number | null>>;

export interface ComponentResult {
  id: string;
  name: string;
  score?: number;
  level?: number;
}

export interface Result {
  score: number;
  level: number;
  band: Band;
  components: ComponentResult[];
  /** The lowest-scoring components (at most two), when components differ. */
  weakest: ComponentResult[];
}

export interface QuestionAggregate {
  key: string;
  respondents: number;
  median?: number;
  spread?: number;
  disagreement: boolean;
}

export interface TeamResult {
  respondents: number;
  members: number;
  /**
   * Whether the result may be shown to the team: 3 or more completed, so that no one's answers can be
   * worked out from it, or a lead opened the team's results (members are told).
   */
  visible: boolean;
  result?: Result;
  questions: QuestionAggregate[];
  /** Questions where completed answers differ by 2 levels or more. */
  disagreements: string[];
}

/** Minimum number of respondents (see {@link gaveAnswers}) before a team result is shown. */
export const MIN_RESPONDENTS = 3;
export const DISAGREEMENT_SPREAD = 2;

/** Scores one member's answers: the dimension, each component, the weakest ones. */
export function individualResult(answers: Answers, bank: QuestionBank): Result | undefined {
  return resultFrom(
    new Map(Object.entries(answers).filter((e): e is [string, number] => typeof e[1] === "number")),
    bank,
  );
}

/**
 * Whether completed answers make a respondent: at least one level given. An assessment with every question
 * skipped tells nothing, and counted it would let two members' answers pass for three respondents.
 */
export function gaveAnswers(answers: Answers): boolean {
  return Object.values(answers).some((level) => typeof level === "number");
}

/** Completed answers counted per question and level: question key -> level -> count. */
export type AnswerCounts = ReadonlyMap<string, ReadonlyMap<number, number>>;

/** Counts the levels given per question (skipped questions count nowhere). */
export function countAnswers(completed: readonly Answers[]): AnswerCounts {
  const counts = new Map<string, Map<number, number>>();
  for (const answers of completed) {
    for (const [key, level] of Object.entries(answers)) {
      if (typeof level !== "number") continue;
      const levels = counts.get(key) ?? new Map<number, number>();
      levels.set(level, (levels.get(level) ?? 0) + 1);
      counts.set(key, levels);
    }
  }
  return counts;
}

/** The true median of values given as counts (value -> how many), as {@link median} of the list. */
export function medianOfCounts(counts: ReadonlyMap<number, number>): number | undefined {
  const values = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = values.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return undefined;
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, n] of values) {
      seen += n;
      if (index < seen) return value;
    }
    return values.at(-1)![0];
  };
  const mid = Math.floor(total / 2);
  return total % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** The team result of a round: per question the median of completed answers, scored as a member's. */
export function teamResult(
  completed: readonly Answers[],
  members: number,
  bank: QuestionBank,
  options: { open?: boolean } = {},
): TeamResult {
  const given = completed.filter(gaveAnswers);
  return teamResultOfCounts(countAnswers(given), given.length, members, bank, options);
}

/**
 * The team result from answer counts (what the store keeps per round as assessments complete): the same
 * result as {@link teamResult} over the completed answers, in time that does not grow with the team.
 */
export function teamResultOfCounts(
  counts: AnswerCounts,
  respondents: number,
  members: number,
  bank: QuestionBank,
  options: { open?: boolean } = {},
): TeamResult {
  const questions: QuestionAggregate[] = bank.questions.map((q) => {
    const all = [...(counts.get(q.key) ?? new Map<number, number>()).entries()].filter(([, n]) => n > 0);
    const given = all.reduce((sum, [, n]) => sum + n, 0);
    // In a result that is shown (MIN_RESPONDENTS or more), a question fewer than that answered (the others
    // skipped it) says nothing of its own: its median or spread would give those few answers away. Unless
    // a lead opened the results. A result not shown keeps every answer (it is not shown).
    const levels = given >= MIN_RESPONDENTS || options.open || respondents < MIN_RESPONDENTS ? all : [];
    const mid = medianOfCounts(new Map(levels));
    const spread =
      levels.length > 0
        ? Math.max(...levels.map(([l]) => l)) - Math.min(...levels.map(([l]) => l))
        : undefined;
    return {
      key: q.key,
      respondents: given,
      median: mid,
      spread,
      disagreement: spread !== undefined && spread >= DISAGREEMENT_SPREAD,
    };
  });
  const medians = new Map(
    questions.filter((q) => q.median !== undefined).map((q) => [q.key, q.median!] as [string, number]),
  );
  const visible = respondents >= MIN_RESPONDENTS || (Boolean(options.open) && respondents > 0);
  return {
    respondents,
    members,
    visible,
    result: resultFrom(medians, bank),
    questions,
    disagreements: questions.filter((q) => q.disagreement).map((q) => q.key),
  };
}

function resultFrom(levels: Map<string, number>, bank: QuestionBank): Result | undefined {
  const scored = scoreOf([...levels.values()]);
  if (!scored) return undefined;
  const components: ComponentResult[] = COMPONENTS.map(({ id }) => {
    const own = bank.questions
      .filter((q) => q.component === id && levels.has(q.key))
      .map((q) => levels.get(q.key)!);
    if (own.length === 0) return { id, name: componentName(id) };
    const score = round1(own.reduce((a, b) => a + b, 0) / own.length);
    return { id, name: componentName(id), score, level: levelFromScore(score) };
  });
  return { ...scored, components, weakest: weakestComponents(components) };
}

/** The lowest-scoring components, at most two, and none when every rated component scores the same. */
export function weakestComponents<C extends { score?: number }>(components: readonly C[]): C[] {
  const rated = components.filter((c) => c.score !== undefined).sort((a, b) => a.score! - b.score!);
  const top = rated.at(-1)?.score;
  return rated.filter((c) => c.score! < top!).slice(0, 2);
}

/**
 * Why a result is at its level: the score against the threshold of its level and of the next one, and
 * the components holding it back. Markdown, one or two sentences.
 */
export function explainLevel(result: Pick<Result, "score" | "level" | "weakest">): string {
  const { score, level } = result;
  const floor = levelFloor(level);
  const next = levelFloor(level + 1);
  const reached =
    floor === undefined
      ? `The score ${score.toFixed(1)} is below the 2.0 that level 2 needs`
      : `The score ${score.toFixed(1)} reaches the ${floor.toFixed(1)} that level ${level} needs`;
  const ahead =
    next === undefined
      ? "; level 5 is the top of the scale."
      : `; level ${level + 1} needs ${next.toFixed(1)} (${round1(next - score).toFixed(1)} more).`;
  const held =
    result.weakest.length > 0
      ? ` Holding it back: ${result.weakest.map((c) => `**${c.name}** (${c.score?.toFixed(1) ?? "–"})`).join(", ")}.`
      : "";
  return `${reached}${ahead}${held}`;
}
