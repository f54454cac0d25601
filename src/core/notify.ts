import type { Reply } from "./reply.js";

/**
 * The proactive sender port: the core says what to send to whom; an adapter (Slack, Teams, the
 * playground) sends it with the right credentials for the tenant. Failures are coded so that a queue
 * knows whether a retry can help.
 */
export type Platform = "slack" | "teams" | "playground";

export interface Target {
  platform: Platform;
  tenant: string;
  to:
    | {
        kind: "dm";
        user: string;
        /**
         * The user's direct-message conversation as last seen (a hint: an adapter that finds it gone opens
         * the conversation again).
         */
        channel?: string;
      }
    | { kind: "channel"; channel: string };
}

export interface Sent {
  /** The platform's id of the message, when it has one. */
  id?: string;
  /** The direct-message conversation it went to, when the platform names one: the next message's hint. */
  channel?: string;
}

export interface Notifier {
  send(target: Target, reply: Reply): Promise<Sent>;
}

export type NotifyFailure =
  /** The platform asked us to slow down; try again after retryAfterMs. */
  | "rate_limited"
  /** A passing failure (5xx, timeout, network): a later try may succeed. */
  | "temporary"
  /** Will not succeed on retry: channel gone, bot removed, user deactivated, no credentials. */
  | "permanent";

export class NotifyError extends Error {
  constructor(
    readonly failure: NotifyFailure,
    /** The platform's own code, e.g. Slack's `channel_not_found`. */
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${failure}: ${reason}${retryAfterMs !== undefined ? ` (retry after ${retryAfterMs} ms)` : ""}`);
    this.name = "NotifyError";
  }

  get retryable(): boolean {
    return this.failure !== "permanent";
  }
}

/** Sends through the notifier registered for the target's platform. */
export class Notifiers implements Notifier {
  private readonly byPlatform = new Map<Platform, Notifier>();

  register(platform: Platform, notifier: Notifier): this {
    this.byPlatform.set(platform, notifier);
    return this;
  }

  has(platform: Platform): boolean {
    return this.byPlatform.has(platform);
  }

  send(target: Target, reply: Reply): Promise<Sent> {
    const notifier = this.byPlatform.get(target.platform);
    if (!notifier) {
      return Promise.reject(new NotifyError("permanent", `no_${target.platform}_notifier`));
    }
    return notifier.send(target, reply);
  }
}
