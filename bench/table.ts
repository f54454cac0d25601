export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  target?: string;
  ok?: boolean;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function printTable(rows: BenchRow[]): void {
  const fmt = (r: BenchRow) =>
    Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 3 : 1);
  const widths = [
    Math.max(6, ...rows.map((r) => r.name.length)),
    Math.max(5, ...rows.map((r) => `${fmt(r)} ${r.unit}`.length)),
    Math.max(6, ...rows.map((r) => (r.target ?? "").length)),
  ];
  const line = (a: string, b: string, c: string, d: string) =>
    `| ${a.padEnd(widths[0]!)} | ${b.padStart(widths[1]!)} | ${c.padEnd(widths[2]!)} | ${d.padEnd(4)} |`;
  console.log(line("metric", "value", "target", "met"));
  console.log(line("-".repeat(widths[0]!), "-".repeat(widths[1]!), "-".repeat(widths[2]!), "----"));
  for (const r of rows)
    console.log(
      line(r.name, `${fmt(r)} ${r.unit}`, r.target ?? "", r.ok === undefined ? "" : r.ok ? "yes" : "NO"),
    );
}
