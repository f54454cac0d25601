import type { QuestionBank } from "../assessment/bank.js";
import type { AnswerEngine } from "../knowledge/answer.js";
import type { Platform } from "../notify.js";
import type { ChatEvent } from "./events.js";
import type { Clock, Store } from "./ports.js";

/**
 * Who a view is drawn for. A member sees their own progress beside the team's aggregates, and only in a
 * direct message; a channel and a workspace see aggregates only.
 */
export type Audience =
  | { kind: "member"; platform: Platform; tenant: string; userId: string }
  | { kind: "channel"; platform: Platform; tenant: string; channelId: string }
  | { kind: "workspace"; platform: Platform; tenant: string };

/** What every view reads. */
export interface ViewDeps {
  store: Store;
  knowledge: AnswerEngine;
  bank: QuestionBank;
  clock: Clock;
}

/** How a command is typed on a platform: "/maturity status" in Slack, "status" elsewhere. */
export function commandPrefix(platform: Platform): string {
  return platform === "slack" ? "/maturity " : "";
}

export function command(audience: { platform: Platform }, words: string): string {
  return `\`${commandPrefix(audience.platform)}${words}\``;
}

/** The audience of a reply to an event: the member in a direct message, else the channel. */
export function audienceOf(event: ChatEvent): Audience {
  const { platform, tenant } = event;
  return event.channel.kind === "dm"
    ? { kind: "member", platform, tenant, userId: event.user.id }
    : { kind: "channel", platform, tenant, channelId: event.channel.id };
}
