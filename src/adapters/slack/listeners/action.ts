import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { parseActionValue } from "../../../core/conversation/events.js";
import type { SlackDeps } from "../deps.js";
import { deliveryHash, isDm } from "../normalise.js";
import { runTurn } from "../turn.js";

/** Every action_id the renderer writes: the reply model's button ids, possibly with a -N suffix. */
export const ACTION_ID = /^[A-Za-z0-9_.:-]{1,255}$/;

interface Container {
  type?: string;
  message_ts?: string;
  channel_id?: string;
  is_ephemeral?: boolean;
  thread_ts?: string;
  view_id?: string;
}

/**
 * One listener for every button: the value is the reply model's JSON; a value that is not JSON reaches
 * the engine as undefined, which answers with a friendly note. Buttons in messages answer in their
 * conversation; buttons on App Home answer in a direct message.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: ACTION_ID },
    async ({ ack, body, action, client, context }) => {
      await deps.work.admit();
      await ack();
      const container = (body.container ?? {}) as Container;
      const user = body.user.id;
      const tenant = body.team?.id ?? body.user.team_id ?? context.teamId ?? "";
      const fromHome = container.type === "view" || body.view?.type === "home";
      const channelId = container.channel_id ?? body.channel?.id;
      const kind = fromHome || isDm(channelId, body.channel?.name) ? "dm" : "channel";
      const message =
        !fromHome && container.message_ts && channelId
          ? { channel: channelId, ts: container.message_ts, ephemeral: Boolean(container.is_ephemeral) }
          : undefined;
      const threadTs = container.thread_ts ?? (body.message as { thread_ts?: string } | undefined)?.thread_ts;
      deps.work.run("action", () =>
        runTurn(deps, {
          client,
          botUserId: context.botUserId,
          origin: {
            source: fromHome ? "home" : "action",
            tenant,
            user,
            channel: fromHome ? undefined : channelId,
            channelKind: kind,
            threadTs,
            responseUrl: fromHome ? undefined : body.response_url,
            message,
          },
          event: {
            type: "action",
            actionId: action.action_id,
            value: parseActionValue(action.value),
            channel: {
              id: (fromHome ? undefined : channelId) ?? user,
              kind,
              ...(body.channel?.name && kind === "channel" ? { name: body.channel.name } : {}),
            },
            inThread: Boolean(threadTs),
            deliveryId: deliveryHash(
              "action",
              body.trigger_id,
              action.action_ts,
              action.action_id,
              container.message_ts,
            ),
          },
        }),
      );
    },
  );
}
