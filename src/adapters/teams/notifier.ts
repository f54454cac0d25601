import { type Notifier, NotifyError, type Sent, type Target } from "../../core/notify.js";
import type { Reply } from "../../core/reply.js";
import type { TeamsConversations } from "./conversations.js";
import { renderMessages } from "./render/card.js";

/**
 * The core's Notifier for Teams: nudges, reminders, summaries and digests through stored conversation
 * references. Failures are coded like Slack's: 429 is rate limited (with Retry-After), 403 means the
 * bot was removed, 404 that the conversation is gone (both forget the reference), 5xx and network
 * failures are temporary.
 */
export class TeamsNotifier implements Notifier {
  constructor(private readonly conversations: TeamsConversations) {}

  async send(target: Target, reply: Reply): Promise<Sent> {
    try {
      const ids = [...new Set([...reply.text.matchAll(/\uE000([^\uE001]+)\uE001/g)].map((m) => m[1]!))];
      const names = await this.conversations.references.names(target.tenant, ids);
      const id = await this.conversations.send(
        target.tenant,
        target.to,
        renderMessages(reply, (u) => names.get(u)),
      );
      return id ? { id } : {};
    } catch (error) {
      const coded = classify(error);
      if (coded.reason === "bot_removed" || coded.reason === "conversation_not_found") {
        await this.conversations.references.forget(target.tenant, target.to).catch(() => undefined);
      }
      throw coded;
    }
  }
}

/** A Bot Connector failure as a NotifyError. */
export function classify(error: unknown): NotifyError {
  if (error instanceof NotifyError) return error;
  const status = statusOf(error);
  if (status === 429) return new NotifyError("rate_limited", "throttled", retryAfterMs(error) ?? 1000);
  if (status === 403) return new NotifyError("permanent", "bot_removed");
  if (status === 404) return new NotifyError("permanent", "conversation_not_found");
  if (status === 401) return new NotifyError("permanent", "unauthorized");
  if (status === 400 || status === 413) return new NotifyError("permanent", `http_${status}`);
  if (status !== undefined && status >= 500) return new NotifyError("temporary", `http_${status}`);
  return new NotifyError("temporary", status ? `http_${status}` : "network_error");
}

export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === "number" ? status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const e = error as {
    retryAfter?: unknown;
    response?: { headers?: { get?: (n: string) => string | undefined } };
  };
  const value = typeof e?.retryAfter === "string" ? e.retryAfter : e?.response?.headers?.get?.("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
