import type { Reply } from "../../core/reply.js";
import type { Logger } from "../../observability/logger.js";
import { type SlackApi, SlackApiError } from "./api.js";
import { renderMessage, type SlackMessage } from "./render/blocks.js";
import { escapeMrkdwn } from "./render/mrkdwn.js";

/** Where an event came from, and what Slack lets us answer with. */
export interface Origin {
  source: "command" | "event" | "action" | "home";
  tenant: string;
  user: string;
  /** The conversation the event came from; none for App Home. */
  channel?: string;
  channelKind: "dm" | "channel";
  /** The thread the message or the clicked message was in. */
  threadTs?: string;
  /** A slash command's or a message button's response_url. */
  responseUrl?: string;
  /** The message whose button was clicked. */
  message?: { channel: string; ts: string; ephemeral: boolean };
}

/** Direct-message channel ids by workspace and user: conversations.open once per user and process. */
export class DmChannels {
  private readonly ids = new Map<string, string>();

  async open(api: SlackApi, user: string): Promise<string> {
    const known = this.known(api.tenant, user);
    if (known) return known;
    const result = await api.call("conversations.open", { users: user });
    const id = (result.channel as { id?: string } | undefined)?.id;
    if (!id) throw new SlackApiError("conversations.open", "no_channel");
    if (this.ids.size >= 50_000) this.ids.clear();
    this.ids.set(`${api.tenant}:${user}`, id);
    return id;
  }

  known(tenant: string, user: string): string | undefined {
    return this.ids.get(`${tenant}:${user}`);
  }

  /** Slack no longer knows the channel: the next open asks again. */
  forget(tenant: string, user: string): void {
    this.ids.delete(`${tenant}:${user}`);
  }
}

const NOT_A_MEMBER = new Set(["not_in_channel", "channel_not_found"]);
const CANNOT_UPDATE = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "channel_not_found",
]);

/**
 * Sends the engine's replies, in order, where the reply model says:
 * - `to: dm` -> conversations.open + chat.postMessage (chat.update of the clicked message when `replace`,
 *   a new message when Slack does not update it);
 * - `to: channel` -> chat.postMessage;
 * - `to: origin` + `private` -> the response_url as an ephemeral message, else chat.postEphemeral
 *   (from App Home, which has neither: a direct message);
 * - `to: origin` -> a button's message is updated when `replace`; a slash command answers through its
 *   response_url (no need to be in the channel); an event answers with chat.postMessage, in the
 *   thread when the question was in one.
 * A reply Slack refuses is logged and, where possible, replaced by a short private note saying why.
 */
export class Deliverer {
  constructor(
    private readonly dms: DmChannels,
    private readonly logger: Logger,
  ) {}

  async deliver(api: SlackApi, origin: Origin, replies: Reply[]): Promise<void> {
    for (const reply of replies) {
      try {
        await this.one(api, origin, reply, renderMessage(reply));
      } catch (error) {
        const code = error instanceof SlackApiError ? error.code : "internal_error";
        if (!(error instanceof SlackApiError)) {
          this.logger.error("Slack reply failed", { error, tenant: origin.tenant, source: origin.source });
        }
        await this.explain(api, origin, reply, code);
      }
    }
  }

  private async one(api: SlackApi, origin: Origin, reply: Reply, message: SlackMessage): Promise<void> {
    const to = reply.to;
    if (to.kind === "dm") {
      // The clicked message is in this user's direct message with the app: replace it in place.
      const inTheirDm =
        origin.message && !origin.message.ephemeral && origin.channelKind === "dm" && to.user === origin.user;
      if (reply.replace && inTheirDm && (await this.update(api, origin.message!, message))) return;
      const channel = await this.dms.open(api, to.user);
      await api.call("chat.postMessage", { channel, ...message });
      return;
    }
    if (to.kind === "channel") {
      await api.call("chat.postMessage", { channel: to.channel, ...message });
      return;
    }
    // to: origin
    if (origin.source === "home" || !origin.channel) {
      const channel = await this.dms.open(api, origin.user);
      await api.call("chat.postMessage", { channel, ...message });
      return;
    }
    if (reply.replace && origin.message) {
      if (origin.message.ephemeral && origin.responseUrl) {
        await api.respond(origin.responseUrl, {
          replace_original: true,
          response_type: "ephemeral",
          ...message,
        });
        return;
      }
      if (!origin.message.ephemeral && (await this.update(api, origin.message, message))) return;
    }
    const thread = reply.inThread && origin.threadTs ? { thread_ts: origin.threadTs } : {};
    if (reply.private) {
      if (origin.responseUrl) {
        await api.respond(origin.responseUrl, {
          response_type: "ephemeral",
          replace_original: false,
          ...message,
        });
      } else {
        await api.call("chat.postEphemeral", {
          channel: origin.channel,
          user: origin.user,
          ...thread,
          ...message,
        });
      }
      return;
    }
    if (origin.source === "command" && origin.responseUrl) {
      await api.respond(origin.responseUrl, { response_type: "in_channel", ...message });
      return;
    }
    try {
      const quiet = origin.responseUrl ? [...NOT_A_MEMBER] : [];
      await api.call("chat.postMessage", { channel: origin.channel, ...thread, ...message }, quiet);
    } catch (error) {
      // A button in a conversation the bot is not part of (e.g. a help message in a group DM): answer
      // through the button's response_url, which works wherever the message is.
      if (!(error instanceof SlackApiError && NOT_A_MEMBER.has(error.code) && origin.responseUrl))
        throw error;
      await api.respond(origin.responseUrl, {
        response_type: "in_channel",
        replace_original: false,
        ...message,
      });
    }
  }

  /**
   * chat.update of a clicked message; false when Slack did not update it, whatever the reason (the message
   * is gone or too old, or Slack failed): the caller then posts the reply as a new message, so the member
   * still sees the next question. The answer behind the click is saved already; an error note would only
   * send them back to a button that now says "already answered".
   */
  private async update(
    api: SlackApi,
    target: { channel: string; ts: string },
    message: SlackMessage,
  ): Promise<boolean> {
    try {
      await api.call("chat.update", { channel: target.channel, ts: target.ts, ...message }, [
        ...CANNOT_UPDATE,
      ]);
      return true;
    } catch (error) {
      if (error instanceof SlackApiError) return false;
      throw error;
    }
  }

  /** Tells the user, privately and in plain words, that a reply could not be sent. Never throws. */
  private async explain(api: SlackApi, origin: Origin, reply: Reply, code: string): Promise<void> {
    const text = explanation(reply, code);
    const message = { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
    try {
      if (origin.responseUrl) {
        await api.respond(origin.responseUrl, {
          response_type: "ephemeral",
          replace_original: false,
          ...message,
        });
      } else if (origin.channel && origin.source !== "home") {
        await api.call("chat.postEphemeral", { channel: origin.channel, user: origin.user, ...message });
      } else if (reply.to.kind !== "dm") {
        const channel = await this.dms.open(api, origin.user);
        await api.call("chat.postMessage", { channel, ...message });
      }
    } catch {
      // Already logged by the call; there is no other way to reach the user.
    }
  }
}

function explanation(reply: Reply, code: string): string {
  const where = `(Slack said \`${escapeMrkdwn(code.slice(0, 80))}\`)`;
  if (reply.to.kind === "dm") {
    return `I couldn't send you a direct message ${where}. Open my Messages tab (click my name, then Messages) and try again; if it stays, ask your Slack admin to check the app's settings.`;
  }
  if (code === "not_in_channel" || code === "channel_not_found" || code === "is_archived") {
    return `I can't post in this channel ${where}. Add me first, for example with \`/invite @maturity-bot\`, then try again.`;
  }
  if (code === "ratelimited")
    return `Slack is asking me to slow down ${where}. Please try again in a minute.`;
  return `Sorry, Slack didn't accept my answer ${where}. Nothing was lost; please try again in a minute.`;
}
