import type { Outcome } from "../../core/conversation/context.js";
import type { ChatEventInput } from "../../core/conversation/events.js";
import { describeError } from "../../core/errors.js";
import { reply } from "../../core/reply.js";
import { observeTurn } from "../observe.js";
import { SlackApi, type WebClient } from "./api.js";
import type { Origin } from "./deliver.js";
import type { SlackDeps } from "./deps.js";
import { slackDirectory } from "./directory.js";
import { publishHome } from "./home.js";

/** How long an App Home refresh waits for more changes of the same user before it runs. */
const HOME_DELAY_MS = 250;

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

/**
 * One event through the engine and back to Slack: normalise, handle, deliver, carry out the effects.
 * This is the Slack adapter's one error handler: it decides what the user sees of a failure and logs
 * the rest under the event's delivery id.
 */
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
  let outcome: Outcome;
  try {
    outcome = await deps.engine.handle(event, {
      directory: slackDirectory(api, deps.users, turn.botUserId),
    });
  } catch (error) {
    const view = describeError(error, turn.event.deliveryId);
    deps.metrics.errors.inc({ where: "engine" });
    deps.logger[view.severe ? "error" : "warn"]("Slack event failed", {
      code: view.code,
      event: turn.event.deliveryId,
      type: turn.event.type,
      tenant: origin.tenant,
      error,
    });
    outcome = { replies: [{ ...reply(view.message), private: true }], effects: [] };
  }
  await deps.deliverer.deliver(api, origin, outcome.replies);
  const refreshHome = outcome.effects.some(
    (e) => (e.type === "assessment-completed" && e.userId === origin.user) || e.type === "team-registered",
  );
  // Off the click path, and once per user for a burst of completions (the latest state wins).
  if (refreshHome) {
    deps.work.later("app_home", `${origin.tenant}:${origin.user}`, HOME_DELAY_MS, () =>
      publishHome(deps, api, origin.user).catch(() => undefined),
    );
  }
  if (outcome.effects.length > 0) {
    await deps
      .onEffects?.(outcome.effects)
      .catch((error: unknown) =>
        deps.logger.error("could not queue the work that follows an event", { error, tenant: origin.tenant }),
      );
  }
  observeTurn(deps.metrics, {
    platform: "slack",
    tenant: origin.tenant,
    type: turn.event.type,
    seconds: (performance.now() - started) / 1000,
    effects: outcome.effects,
  });
}
