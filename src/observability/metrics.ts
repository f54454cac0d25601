/** A small Prometheus registry: counters and histograms with labels, rendered as text format 0.0.4. */
type Labels = Record<string, string>;

const key = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map(
      (k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
    )
    .join(",");

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
    return lines.join("\n");
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ) {}
  observe(seconds: number, labels: Labels = {}): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    this.buckets.forEach((b, i) => {
      if (seconds <= b) s.counts[i]!++;
    });
    s.sum += seconds;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const prefix = k ? `${k},` : "";
      this.buckets.forEach((b, i) => {
        lines.push(`${this.name}_bucket{${prefix}le="${b}"} ${s.counts[i]}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ""} ${s.count}`);
    }
    return lines.join("\n");
  }
}

export class Metrics {
  readonly events = new Counter("maturity_bot_events_total", "Chat events handled, by platform and type");
  readonly errors = new Counter("maturity_bot_errors_total", "Failures, by where they happened");
  readonly retries = new Counter(
    "maturity_bot_duplicate_deliveries_total",
    "Retried deliveries processed once",
  );
  readonly assessments = new Counter("maturity_bot_assessments_completed_total", "Assessments completed");
  readonly latency = new Histogram("maturity_bot_event_seconds", "Time to handle a chat event");
  private readonly started = Date.now();

  render(): string {
    const uptime = [
      "# HELP maturity_bot_uptime_seconds Seconds since the process started",
      "# TYPE maturity_bot_uptime_seconds gauge",
      `maturity_bot_uptime_seconds ${((Date.now() - this.started) / 1000).toFixed(0)}`,
    ].join("\n");
    const mem = [
      "# HELP maturity_bot_heap_bytes Heap used by the process",
      "# TYPE maturity_bot_heap_bytes gauge",
      `maturity_bot_heap_bytes ${process.memoryUsage().heapUsed}`,
    ].join("\n");
    return `${[this.events, this.errors, this.retries, this.assessments, this.latency].map((m) => m.render()).join("\n")}\n${uptime}\n${mem}\n`;
  }
}
