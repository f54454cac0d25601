import type { Logger } from "../../observability/logger.js";

/**
 * Work after an ack. The HTTP receiver runs with processBeforeResponse, so Slack's request stays open
 * until the listener returns: a listener acks, then waits for its work at most `budgetMs` (well within
 * Slack's 3 s) and returns; work that takes longer (a slow Web API call, a Retry-After) goes on in the
 * background and is awaited on shutdown.
 */
export class Work {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    readonly budgetMs = 2000,
  ) {}

  async run(what: string, task: () => Promise<void>): Promise<void> {
    const running: Promise<void> = task()
      .catch((error: unknown) => this.logger.error("Slack event failed", { what, error }))
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.budgetMs);
    });
    await Promise.race([running, budget]);
    clearTimeout(timer);
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
