import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { messageText, slackMentions } from "../normalise.js";
import { runTurn } from "../turn.js";

interface MessageEvent {
  user?: string;
  text?: string;
  ts: string;
  channel: string;
  channel_type?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** A direct message to the app (message.im): a command word or a question. Edits, bots and other subtypes are ignored. */
export function register(app: App, deps: SlackDeps): void {
  app.event("message", async ({ event, body, client, context }) => {
    const e = event as unknown as MessageEvent;
    if (e.channel_type !== "im" || e.subtype || e.bot_id || !e.user || e.user === context.botUserId) return;
    if (context.retryNum) deps.metrics.retries.inc({ platform: "slack" });
    const { text, mentions } = slackMentions(messageText(e.text), context.botUserId);
    deps.work.run("message", () =>
      runTurn(deps, {
        client,
        botUserId: context.botUserId,
        origin: {
          source: "event",
          tenant: body.team_id,
          user: e.user!,
          channel: e.channel,
          channelKind: "dm",
          threadTs: e.thread_ts,
        },
        event: {
          type: "message",
          text,
          mention: false,
          mentions,
          channel: { id: e.channel, kind: "dm" },
          inThread: Boolean(e.thread_ts),
          deliveryId: body.event_id,
        },
      }),
    );
  });
}
