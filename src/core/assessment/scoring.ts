/** Scoring rules of the Technology & Operations guide, as pure functions. */

export type Band = "strong" | "developing" | "weak";

/** Re-assessment exit scores: 4.5 or more is level 5, 3.5 level 4, 3.0 level 3, 2.0 level 2, else 1. */
const LEVEL_FLOORS: [number, number][] = [
  [4.5, 5],
  [3.5, 4],
  [3.0, 3],
  [2.0, 2],
];

/** Mean of the answered levels, to one decimal; undefined when nothing was answered. */
export function dimensionScore(levels: readonly (number | null | undefined)[]): number | undefined {
  const answered = levels.filter((l): l is number => typeof l === "number");
  if (answered.length === 0) return undefined;
  return round1(answered.reduce((a, b) => a + b, 0) / answered.length);
}

/** The level a score stands for; it uses the rounded score, so 3.5 is always shown beside level 4. */
export function levelFromScore(score: number): number {
  const rounded = round1(score);
  for (const [floor, level] of LEVEL_FLOORS) if (rounded >= floor) return level;
  return 1;
}

/** Strong at 4.0 or more, weak below 2.5, developing in between. */
export function bandFromScore(score: number): Band {
  const rounded = round1(score);
  if (rounded >= 4.0) return "strong";
  if (rounded < 2.5) return "weak";
  return "developing";
}

/** The median: the middle value, or the mean of the two middle values on an even count. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The lowest score that reaches each level (the exit scores), for saying what the next level needs. */
export function levelFloor(level: number): number | undefined {
  return LEVEL_FLOORS.find(([, l]) => l === level)?.[0];
}

export function round1(n: number): number {
  return Math.round((n + Number.EPSILON) * 10) / 10;
}

export interface Scored {
  score: number;
  level: number;
  band: Band;
}

export function scoreOf(levels: readonly (number | null | undefined)[]): Scored | undefined {
  const score = dimensionScore(levels);
  if (score === undefined) return undefined;
  return { score, level: levelFromScore(score), band: bandFromScore(score) };
}
