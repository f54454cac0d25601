/** A round is one calendar quarter, in the team's time zone: "2026-Q4". */
export type RoundId = `${number}-Q${1 | 2 | 3 | 4}`;

export const ROUND_PATTERN = /^\d{4}-Q[1-4]$/;

export function roundOf(date: Date, timeZone: string): RoundId {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
  }).formatToParts(date);
  const year = Number(parts.find((p) => p.type === "year")!.value);
  const month = Number(parts.find((p) => p.type === "month")!.value);
  return `${year}-Q${Math.ceil(month / 3) as 1 | 2 | 3 | 4}`;
}

export function previousRound(round: string): RoundId {
  const [y, q] = round.split("-Q").map(Number) as [number, number];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${(q - 1) as 1 | 2 | 3}`;
}

export function compareRounds(a: string, b: string): number {
  return a.localeCompare(b);
}
