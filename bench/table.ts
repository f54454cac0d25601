export interface BenchRow {
  name: string;
  /** The median of the runs (or the one figure). */
  value: number;
  unit: string;
  /** The lowest and highest of the runs, when there were several. */
  range?: [number, number];
  /** The same figure for the baseline, measured in the same run. */
  baseline?: { name: string; value: number; range?: [number, number] };
  target?: string;
  ok?: boolean;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Median and range of several runs of a figure. */
export function summary(values: readonly number[]): { value: number; range: [number, number] } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { value, range: [sorted[0] ?? 0, sorted.at(-1) ?? 0] };
}

/** A figure of ours (median and range of its runs) beside the same figure of a baseline. */
export function compared(
  name: string,
  unit: string,
  ours: readonly number[],
  baseline: { name: string; runs: readonly number[] } | undefined,
  target?: { text: string; ok: (value: number, baseline?: number) => boolean },
): BenchRow {
  const mine = summary(ours);
  const base = baseline ? summary(baseline.runs) : undefined;
  return {
    name,
    unit,
    value: mine.value,
    ...(ours.length > 1 ? { range: mine.range } : {}),
    ...(base && baseline
      ? {
          baseline: {
            name: baseline.name,
            value: base.value,
            ...(baseline.runs.length > 1 ? { range: base.range } : {}),
          },
        }
      : {}),
    ...(target ? { target: target.text, ok: target.ok(mine.value, base?.value) } : {}),
  };
}

function fmt(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 10) return String(n);
  const abs = Math.abs(n);
  return n.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

function cell(value: number, unit: string, range?: [number, number]): string {
  return `${fmt(value)}${range ? ` (${fmt(range[0])}-${fmt(range[1])})` : ""} ${unit}`;
}

export function printTable(rows: BenchRow[]): void {
  const table = rows.map((r) => [
    r.name,
    cell(r.value, r.unit, r.range),
    r.baseline ? `${cell(r.baseline.value, r.unit, r.baseline.range)} ${r.baseline.name}` : "",
    r.baseline && r.baseline.value !== 0 ? `${fmt(r.value / r.baseline.value)}x` : "",
    r.target ?? "",
    r.ok === undefined ? "" : r.ok ? "yes" : "NO",
  ]);
  const head = ["metric", "ours: median (range)", "baseline: median (range)", "ratio", "target", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of table) console.log(line(row));
}
