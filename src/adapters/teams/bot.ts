import { type Activity, type ChannelAccount, TurnContext } from "botbuilder";
import type { Effect, Outcome } from "../../core/conversation/context.js";
import type { ConversationEngine } from "../../core/conversation/engine.js";
import type { ChatEventInput } from "../../core/conversation/events.js";
import { MENTION_TOKEN, type Reply } from "../../core/reply.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import { observeTurn } from "../observe.js";
import type { TeamsConversations } from "./conversations.js";
import type { TeamsDeliverer } from "./deliver.js";
import { teamsDirectory } from "./directory.js";
import { isBot, messageText, submitted, type Where, whereOf } from "./normalise.js";

export interface TeamsDeps {
  engine: ConversationEngine;
  logger: Logger;
  metrics: Metrics;
  conversations: TeamsConversations;
  deliverer: TeamsDeliverer;
  /** Carries out what the engine decided beyond its replies (the jobs: nudges, summaries). */
  onEffects?: (effects: readonly Effect[]) => Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventBody = DistributiveOmit<ChatEventInput, "platform" | "tenant" | "user" | "channel">;

/**
 * One Teams activity: remember where it came from (for speaking first later), turn it into engine
 * events, deliver the replies. Errors go to the adapter's one onTurnError (index.ts).
 */
export async function handleActivity(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const activity = context.activity;
  const where = whereOf(activity);
  const refs = deps.conversations.references;
  const names = new Map<string, string>();
  if (activity.from?.name && !isBot(activity.from.id, activity.recipient.id)) {
    names.set(activity.from.id, activity.from.name);
  }
  await remember(deps, activity, where);

  const run = (body: EventBody, user = activity.from, suffix = "") =>
    runEvent(deps, context, where, names, user, {
      ...body,
      deliveryId: activity.id ? `${activity.id}${suffix}` : undefined,
    } as EventBody);

  if (activity.type === "message") {
    const action = submitted(activity);
    if (action) return run({ type: "action", actionId: action.actionId, value: action.value });
    const text = messageText(activity);
    // In a channel the bot answers only when @mentioned; in a personal chat every message is for it.
    if (where.kind === "channel" && !text.mentioned) return;
    for (const m of text.mentions) if (m.name) names.set(m.id, m.name);
    const timezone = validTimezone(activity.localTimezone);
    return run({
      type: "message",
      text: text.text,
      mention: where.kind === "channel",
      mentions: text.mentions,
      ...(timezone ? { timezone } : {}),
    });
  }

  if (activity.type === "conversationUpdate") {
    const botId = activity.recipient.id;
    const added = activity.membersAdded ?? [];
    const removed = activity.membersRemoved ?? [];
    if (added.some((m) => m.id === botId)) {
      if (where.kind === "dm") await welcome(deps, context, where, names);
      // Added to a team: its channel becomes a team, led by whoever added the bot.
      else if (where.teamsTeamId)
        await run({ type: "command", name: "setup", args: "" }, activity.from, ":setup");
    }
    if (!where.teamsTeamId) return;
    for (const [change, members] of [
      ["joined", humans(added, botId)],
      ["left", humans(removed, botId)],
    ] as const) {
      if (members.length === 0) continue;
      for (const m of [...added, ...removed]) if (m.name) names.set(m.id, m.name);
      // A roster change in a Teams team reaches every channel of it that is a registered team.
      for (const channel of await refs.teamChannels(where.tenant, where.teamsTeamId)) {
        await runEvent(
          deps,
          context,
          { ...where, conversationId: channel, kind: "channel" },
          names,
          activity.from,
          { type: "members", change, members, deliveryId: `${activity.id ?? ""}:${change}:${channel}` },
        );
      }
    }
  }
  // installationUpdate and the rest: the reference is remembered above; the welcome comes with conversationUpdate.
}

async function remember(deps: TeamsDeps, activity: Activity, where: Where): Promise<void> {
  const refs = deps.conversations.references;
  // Without the activity id: speaking first starts a new message, not a reply to an old one.
  const { activityId: _reply, ...reference } = TurnContext.getConversationReference(activity);
  const conversation = { ...reference.conversation!, id: where.conversationId };
  if (where.kind === "dm") {
    if (isBot(activity.from.id, activity.recipient.id)) return;
    await refs.remember(where.tenant, { kind: "dm", user: activity.from.id }, { ...reference, conversation });
    return;
  }
  // A channel's reference without the thread suffix: speaking first starts a new post in the channel.
  await refs.remember(
    where.tenant,
    { kind: "channel", channel: where.conversationId },
    { ...reference, conversation },
  );
  if (where.teamsTeamId) await refs.addTeamChannel(where.tenant, where.teamsTeamId, where.conversationId);
}

async function welcome(deps: TeamsDeps, context: TurnContext, where: Where, names: Map<string, string>) {
  const user = context.activity.from;
  await runEvent(
    deps,
    context,
    where,
    names,
    user,
    {
      type: "command",
      name: "help",
      args: "",
      deliveryId: `${context.activity.id ?? ""}:welcome`,
    },
    (replies) =>
      replies.map((r, i) =>
        i === 0 ? { ...r, blocks: [{ type: "heading", text: "Welcome to maturity-bot" }, ...r.blocks] } : r,
      ),
  );
}

async function runEvent(
  deps: TeamsDeps,
  context: TurnContext,
  where: Where,
  names: Map<string, string>,
  user: ChannelAccount,
  body: EventBody,
  adjust: (replies: Reply[]) => Reply[] = (r) => r,
): Promise<void> {
  const started = performance.now();
  const event = {
    ...body,
    platform: "teams",
    tenant: where.tenant,
    user: { id: user.id, ...(user.name ? { name: user.name.slice(0, 255) } : {}) },
    channel: {
      id: where.conversationId,
      kind: where.kind,
      ...(where.channelName ? { name: where.channelName.slice(0, 255) } : {}),
    },
    ...(where.inThread ? { inThread: true } : {}),
  } as ChatEventInput;
  const outcome: Outcome = await deps.engine.handle(event, { directory: teamsDirectory(context, names) });
  const refs = deps.conversations.references;
  await refs.saveNames(where.tenant, names).catch(() => undefined);
  const known = await refs
    .names(where.tenant, mentionedIds(outcome.replies))
    .catch(() => new Map<string, string>());
  for (const [id, name] of names) known.set(id, name);
  await deps.deliverer.deliver(context, where, user.id, adjust(outcome.replies), (id) => known.get(id));
  if (outcome.effects.length > 0) {
    await deps
      .onEffects?.(outcome.effects)
      .catch((error: unknown) =>
        deps.logger.error("could not queue the work that follows an event", { error, tenant: where.tenant }),
      );
  }
  observeTurn(deps.metrics, {
    platform: "teams",
    tenant: where.tenant,
    type: body.type,
    seconds: (performance.now() - started) / 1000,
    effects: outcome.effects,
  });
}

function humans(accounts: ChannelAccount[], botId: string): string[] {
  return accounts.map((a) => a.id).filter((id) => id && !isBot(id, botId));
}

function mentionedIds(replies: Reply[]): string[] {
  const ids = new Set<string>();
  for (const r of replies) {
    for (const m of JSON.stringify(r.blocks).matchAll(MENTION_TOKEN)) ids.add(m[1]!);
    for (const m of r.text.matchAll(MENTION_TOKEN)) ids.add(m[1]!);
  }
  return [...ids];
}

function validTimezone(zone: unknown): string | undefined {
  if (typeof zone !== "string" || zone.length > 64) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
