import type { ChatEventInput } from "../../core/conversation/events.js";
import type { Reply } from "../../core/reply.js";
import { SlackApi, type WebClient } from "./api.js";
import type { Origin } from "./deliver.js";
import type { SlackDeps } from "./deps.js";
import { slackDirectory } from "./directory.js";
import { publishHome } from "./home.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A normalised event before the origin fills in platform, tenant and (unless given) user. */
export type SlackEventInput = DistributiveOmit<ChatEventInput, "platform" | "tenant" | "user"> & {
  user?: { id: string; name?: string };
};

export interface SlackTurn {
  client: WebClient;
  botUserId?: string;
  origin: Origin;
  /** The normalised event, without platform, tenant and user (taken from the origin). */
  event: SlackEventInput;
  /** Look up the user's time zone first (for `setup`: it becomes the team's). */
  wantsTimezone?: boolean;
}

/** One event through the engine and back to Slack: normalise, handle, deliver, refresh App Home if needed. */
export async function runTurn(deps: SlackDeps, turn: SlackTurn): Promise<void> {
  const { origin } = turn;
  const started = performance.now();
  const api = new SlackApi(turn.client, origin.tenant, deps.logger, deps.metrics);
  let timezone: string | undefined;
  if (turn.wantsTimezone) {
    timezone = await deps.users.get(api, origin.user).then(
      (u) => u?.tz,
      () => undefined,
    );
  }
  const event = {
    ...turn.event,
    platform: "slack",
    tenant: origin.tenant,
    user: turn.event.user ?? { id: origin.user },
    ...(timezone ? { timezone } : {}),
  } as ChatEventInput;
  const replies = await deps.engine.handle(event, {
    directory: slackDirectory(api, deps.users, turn.botUserId),
  });
  deps.metrics.events.inc({ platform: "slack", type: turn.event.type });
  await deps.deliverer.deliver(api, origin, replies);
  if (changesHome(turn.event, replies)) {
    await publishHome(deps, api, origin.user).catch(() => undefined);
  }
  deps.metrics.latency.observe((performance.now() - started) / 1000, {
    platform: "slack",
    type: turn.event.type,
  });
}

/**
 * Whether the viewer's App Home is out of date after this event: their assessment just finished (the
 * engine's result reply: an assessment reply without a question's progress), or they set up a team.
 */
export function changesHome(event: SlackTurn["event"], replies: Reply[]): boolean {
  if (event.type === "action") return replies.some((r) => r.key?.startsWith("assess:") && !r.progress);
  if (event.type === "command") return event.name.toLowerCase() === "setup";
  if (event.type === "message") return /^\s*(?:<@[^>]+>\s*)?setup\b/i.test(event.text);
  return false;
}
