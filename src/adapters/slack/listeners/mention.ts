import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { messageText, slackMentions } from "../normalise.js";
import { runTurn } from "../turn.js";

interface MentionEvent {
  user?: string;
  text?: string;
  ts: string;
  channel: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** @maturity-bot in a channel: a command word or a question, answered in the channel (in its thread, if any). */
export function register(app: App, deps: SlackDeps): void {
  app.event("app_mention", async ({ event, body, client, context }) => {
    const e = event as unknown as MentionEvent;
    // Direct messages arrive as message.im; bots, edits and other subtypes are not questions.
    if (!e.user || e.bot_id || e.subtype || e.channel.startsWith("D") || e.user === context.botUserId) return;
    if (context.retryNum) deps.metrics.retries.inc({ platform: "slack" });
    const { text, mentions } = slackMentions(messageText(e.text), context.botUserId);
    deps.work.run("app_mention", () =>
      runTurn(deps, {
        client,
        botUserId: context.botUserId,
        wantsTimezone: /^\s*setup\b/i.test(text),
        origin: {
          source: "event",
          tenant: body.team_id,
          user: e.user!,
          channel: e.channel,
          channelKind: "channel",
          threadTs: e.thread_ts,
        },
        event: {
          type: "message",
          text,
          mention: true,
          mentions,
          channel: { id: e.channel, kind: "channel" },
          inThread: Boolean(e.thread_ts),
          deliveryId: body.event_id,
        },
      }),
    );
  });
}
