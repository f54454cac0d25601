import type { Logger } from "../../observability/logger.js";

/**
 * Work after an ack. The HTTP receiver answers Slack as soon as a listener acks (Bolt's default for a
 * long-running server), so a listener starts its work here and returns at once: Slack's 3 s never wait
 * on Redis or the Web API. Running work is tracked and awaited on shutdown (and by tests).
 *
 * `later` coalesces work by key: called again for the same key while one is waiting, it runs once,
 * after the delay (the latest task wins), e.g. one App Home refresh per user for a burst of clicks.
 */
export class Work {
  private readonly pending = new Set<Promise<void>>();
  private readonly waiting = new Map<string, { task: () => Promise<void>; done: Promise<void> }>();
  /** Acks held back while too much work runs (see admit). */
  private readonly held: (() => void)[] = [];

  constructor(
    private readonly logger: Logger,
    /** Work items running at once before acks are held back. */
    private readonly highWater = 128,
  ) {}

  run(what: string, task: () => Promise<void>): void {
    const running: Promise<void> = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.logger.error("Slack event failed", { what, error }))
      .finally(() => this.finished(running));
    this.pending.add(running);
  }

  /**
   * Backpressure before an ack: resolves at once unless `highWater` items of work are running, else when
   * one finishes (or after `maxWaitMs`, well within Slack's 3 s). A burst larger than the process can work
   * through then waits at the sender instead of piling up here as memory.
   */
  admit(maxWaitMs = 1000): Promise<void> {
    if (this.pending.size < this.highWater) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      // Timed out: out of the line, so that a finished turn lets a still-waiting ack go instead.
      const timer = setTimeout(() => {
        this.held.splice(this.held.indexOf(go), 1);
        resolve();
      }, maxWaitMs);
      this.held.push(go);
    });
  }

  private finished(running: Promise<void>): void {
    this.pending.delete(running);
    if (this.pending.size < this.highWater) this.held.shift()?.();
  }

  /** Runs the task for `key` once, `delayMs` from the first call; later calls before then replace it. */
  later(what: string, key: string, delayMs: number, task: () => Promise<void>): void {
    const known = this.waiting.get(key);
    if (known) {
      known.task = task;
      return;
    }
    const entry = { task, done: Promise.resolve() };
    entry.done = new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref())
      .then(() => {
        this.waiting.delete(key);
        return entry.task();
      })
      .catch((error: unknown) => this.logger.error("Slack event failed", { what, error }))
      .finally(() => this.finished(entry.done));
    this.waiting.set(key, entry);
    this.pending.add(entry.done);
  }

  /** Resolves when no work is running (or after timeoutMs). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
