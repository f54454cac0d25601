import type { Activity } from "botbuilder";
import { z } from "zod";
import { parseActionValue } from "../../core/conversation/events.js";
import { ACTION_ID_KEY } from "./render/card.js";

/**
 * Teams activities in plain terms: where they come from, who sent them, and what they ask. Nothing
 * here talks to Teams; the adapter decides what to do with the result.
 */

/** The part of an activity the adapter relies on; anything else is ignored, anything less refused with 400. */
export const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(1000).optional(),
    serviceUrl: z.string().url().max(2000),
    channelId: z.string().min(1).max(64),
    from: z.object({ id: z.string().min(1).max(255), name: z.string().max(255).optional() }).loose(),
    recipient: z.object({ id: z.string().min(1).max(255), name: z.string().max(255).optional() }).loose(),
    conversation: z
      .object({
        id: z.string().min(1).max(1000),
        conversationType: z.string().max(32).optional(),
        tenantId: z.string().max(255).optional(),
      })
      .loose(),
    text: z.string().max(28_000).optional(),
  })
  .loose();

export interface Where {
  tenant: string;
  /** The conversation without a thread's ";messageid=" suffix: the channel itself, or the personal chat. */
  conversationId: string;
  kind: "dm" | "channel";
  /** The activity was in a reply thread of a channel post. */
  inThread: boolean;
  /** The Teams team (its id) when the conversation is one of its channels. */
  teamsTeamId?: string;
  channelName?: string;
}

interface ChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
  eventType?: string;
}

export function channelData(activity: Partial<Activity>): ChannelData {
  const data = activity.channelData;
  return data && typeof data === "object" ? (data as ChannelData) : {};
}

/** Where an activity happened. Teams' tenant id names the tenant; outside Teams (a local playground) "local". */
export function whereOf(activity: Activity): Where {
  const data = channelData(activity);
  const tenant = data.tenant?.id || activity.conversation.tenantId || "local";
  const [conversationId = activity.conversation.id, ...suffix] = activity.conversation.id.split(";");
  const personal = (activity.conversation.conversationType ?? "personal") === "personal";
  return {
    tenant,
    conversationId,
    kind: personal ? "dm" : "channel",
    inThread: suffix.some((s) => s.startsWith("messageid=")),
    ...(data.team?.id ? { teamsTeamId: data.team.id } : {}),
    ...(data.channel?.name || data.team?.name ? { channelName: data.channel?.name ?? data.team?.name } : {}),
  };
}

export interface MessageText {
  text: string;
  mentions: { id: string; name: string }[];
  /** The bot itself was @mentioned. */
  mentioned: boolean;
}

/**
 * A message's text as the engine takes it: the bot's own <at> mention removed, every other mention a
 * plain "@Name" (listed in `mentions`), remaining markup stripped and entities decoded.
 */
export function messageText(activity: Activity): MessageText {
  let text = activity.text ?? "";
  const mentions: { id: string; name: string }[] = [];
  let mentioned = false;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== "mention") continue;
    const m = entity as { text?: unknown; mentioned?: { id?: unknown; name?: unknown } };
    const id = typeof m.mentioned?.id === "string" ? m.mentioned.id : undefined;
    const markup = typeof m.text === "string" ? m.text : undefined;
    if (!id) continue;
    const name = decode(stripTags(typeof m.mentioned?.name === "string" ? m.mentioned.name : (markup ?? "")));
    if (id === activity.recipient.id) {
      mentioned = true;
      if (markup) text = text.split(markup).join(" ");
      continue;
    }
    if (mentions.length < 50 && !mentions.some((x) => x.id === id)) mentions.push({ id, name });
    if (markup) text = text.split(markup).join(`@${name}`);
  }
  return { text: decode(stripTags(text)).replace(/\s+/g, " ").trim().slice(0, 4000), mentions, mentioned };
}

function stripTags(text: string): string {
  return text.replace(/<\/?(?:p|div|br|span|at|b|i|strong|em)\b[^>]*>/gi, " ").replace(/<[^>]*>/g, "");
}

function decode(text: string): string {
  return text
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** An Action.Submit's data: the button id and its value (undefined when it is not one of ours). */
export function submitted(
  activity: Activity,
): { actionId: string; value: ReturnType<typeof parseActionValue> } | undefined {
  const raw = activity.value;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const { [ACTION_ID_KEY]: id, msteams: _msteams, ...rest } = raw as Record<string, unknown>;
  if (typeof rest.action !== "string") return undefined;
  const actionId = typeof id === "string" ? id.slice(0, 255) : rest.action;
  return { actionId, value: parseActionValue(rest) };
}

/** Bot accounts in Teams have ids beginning with "28:". */
export function isBot(id: string, botId: string): boolean {
  return id === botId || id.startsWith("28:");
}
