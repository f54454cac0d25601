import type { App } from "@slack/bolt";
import { SlackApi } from "../api.js";
import type { SlackDeps } from "../deps.js";
import { humans } from "../directory.js";
import { runTurn } from "../turn.js";

interface MemberEvent {
  user: string;
  channel: string;
}

/** Someone joins or leaves a team's channel: the team's member list follows (bots, the app included, never count). */
export function register(app: App, deps: SlackDeps): void {
  for (const [type, change] of [
    ["member_joined_channel", "joined"],
    ["member_left_channel", "left"],
  ] as const) {
    app.event(type, async ({ event, body, client, context }) => {
      const e = event as unknown as MemberEvent;
      if (!e.user || e.user === context.botUserId) return;
      deps.work.run(type, async () => {
        const api = new SlackApi(client, body.team_id, deps.logger, deps.metrics);
        const members = change === "joined" ? await humans(api, deps.users, [e.user]) : [e.user];
        if (members.length === 0) return;
        await runTurn(deps, {
          client,
          botUserId: context.botUserId,
          origin: {
            source: "event",
            tenant: body.team_id,
            user: e.user,
            channel: e.channel,
            channelKind: "channel",
          },
          event: {
            type: "members",
            change,
            members,
            channel: { id: e.channel, kind: "channel" },
            deliveryId: body.event_id,
          },
        });
      });
    });
  }
}
