/**
 * Prometheus metrics on prom-client, one registry per Metrics object (tests may run several apps in one process).
 * Call sites use inc(labels, by) / observe(seconds, labels) / set(value, labels), whatever the library's order.
 */
import {
  collectDefaultMetrics,
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from "prom-client";

type Labels = Record<string, string>;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Counter {
  private readonly inner: PromCounter;
  constructor(registry: Registry, name: string, help: string, labelNames: string[] = []) {
    this.inner = new PromCounter({ name, help, labelNames, registers: [registry] });
  }
  inc(labels: Labels = {}, by = 1): void {
    this.inner.inc(labels, by);
  }
}

export class Histogram {
  private readonly inner: PromHistogram;
  constructor(registry: Registry, name: string, help: string, labelNames: string[] = [], buckets = SECONDS) {
    this.inner = new PromHistogram({ name, help, labelNames, buckets, registers: [registry] });
  }
  observe(seconds: number, labels: Labels = {}): void {
    this.inner.observe(labels, seconds);
  }
}

export class Gauge {
  private readonly inner: PromGauge;
  constructor(registry: Registry, name: string, help: string, labelNames: string[] = []) {
    this.inner = new PromGauge({ name, help, labelNames, registers: [registry] });
  }
  set(value: number, labels: Labels = {}): void {
    this.inner.set(labels, value);
  }
}

/** Answer confidence as a label with three values (0.35 is where the engine says it is not sure). */
export function confidenceBucket(confidence: number): "high" | "medium" | "low" {
  return confidence >= 0.7 ? "high" : confidence >= 0.35 ? "medium" : "low";
}

export interface MetricsOptions {
  /** Also collect prom-client's default process metrics (CPU, memory, event loop, GC). */
  defaults?: boolean;
}

export class Metrics {
  readonly registry = new Registry();

  readonly events = this.counter("maturity_bot_events_total", "Chat events handled", ["platform", "type"]);
  readonly latency = this.histogram("maturity_bot_event_seconds", "Time to handle a chat event", [
    "platform",
  ]);
  readonly errors = this.counter("maturity_bot_errors_total", "Failures, by where they happened", ["where"]);
  readonly retries = this.counter(
    "maturity_bot_duplicate_deliveries_total",
    "Retried deliveries processed once",
    ["platform"],
  );
  readonly assessmentsStarted = this.counter(
    "maturity_bot_assessments_started_total",
    "Assessments started (a new session, not a resume)",
    ["platform"],
  );
  /** Assessments completed. */
  readonly assessments = this.counter("maturity_bot_assessments_completed_total", "Assessments completed", [
    "platform",
  ]);
  readonly knowledgeAnswers = this.counter(
    "maturity_bot_knowledge_answers_total",
    "Knowledge-base answers, by intent and confidence bucket (high >= 0.7, medium >= 0.35, low)",
    ["intent", "confidence"],
  );

  readonly httpRequests = this.counter("maturity_bot_http_requests_total", "HTTP requests", [
    "platform",
    "route",
    "status",
  ]);
  readonly httpLatency = this.histogram(
    "maturity_bot_http_request_seconds",
    "Time to answer an HTTP request",
    ["platform", "route"],
  );

  /** Scheduled messages: kind is nudge, reminder, summary or digest. */
  readonly messagesSent = this.counter(
    "maturity_bot_messages_sent_total",
    "Scheduled messages delivered, by kind (nudge, reminder, summary, digest)",
    ["kind"],
  );
  readonly messagesFailed = this.counter(
    "maturity_bot_messages_failed_total",
    "Scheduled messages that failed a delivery attempt, by kind",
    ["kind"],
  );
  readonly jobDuration = this.histogram(
    "maturity_bot_job_seconds",
    "Time a queue job ran, by queue and outcome (completed, failed)",
    ["queue", "outcome"],
    JOB_SECONDS,
  );
  readonly queueDepth = this.gauge("maturity_bot_queue_jobs", "Jobs in a queue, by state", [
    "queue",
    "state",
  ]);
  readonly deadLetters = this.gauge(
    "maturity_bot_dead_letters",
    "Messages that failed every retry and wait for an operator",
  );

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter(this.registry, name, help, labelNames);
  }

  private histogram(name: string, help: string, labelNames: string[], buckets = SECONDS): Histogram {
    return new Histogram(this.registry, name, help, labelNames, buckets);
  }

  private gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge(this.registry, name, help, labelNames);
  }

  constructor(options: MetricsOptions = {}) {
    if (options.defaults) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
