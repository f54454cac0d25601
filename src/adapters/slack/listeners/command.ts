import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { deliveryHash, isDm, messageText, slackMentions } from "../normalise.js";
import { runTurn } from "../turn.js";

/** `/maturity <command>` (any slash command routed to this app): the first word is the command. */
export function register(app: App, deps: SlackDeps): void {
  app.command(/.*/, async ({ ack, body, client, context }) => {
    await deps.work.admit();
    await ack();
    const { text, mentions } = slackMentions(messageText(body.text).trim(), context.botUserId);
    const first = text.split(/\s+/, 1)[0] ?? "";
    const name = first.slice(0, 64);
    const args = text.slice(first.length).trim().slice(0, 2000);
    const kind = isDm(body.channel_id, body.channel_name) ? "dm" : "channel";
    deps.work.run("command", () =>
      runTurn(deps, {
        client,
        botUserId: context.botUserId,
        wantsTimezone: name.toLowerCase() === "setup",
        origin: {
          source: "command",
          tenant: body.team_id,
          user: body.user_id,
          channel: body.channel_id,
          channelKind: kind,
          responseUrl: body.response_url,
        },
        event: {
          type: "command",
          name,
          args,
          mentions,
          user: { id: body.user_id, name: body.user_name?.slice(0, 255) },
          channel: {
            id: body.channel_id,
            kind,
            ...(kind === "channel" && body.channel_name ? { name: body.channel_name.slice(0, 255) } : {}),
          },
          deliveryId: body.trigger_id ? deliveryHash("command", body.trigger_id) : undefined,
        },
      }),
    );
  });
}
