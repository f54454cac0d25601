import type { QuestionBank } from "../assessment/bank.js";
import type { AnswerEngine } from "../knowledge/answer.js";
import type { Reply } from "../reply.js";
import type { Comparison } from "../rounds/lifecycle.js";
import { type Audience, audienceOf } from "./audience.js";
import type { ChatEvent } from "./events.js";
import type { Clock, DeadLetter, Store } from "./ports.js";

/** Platform services an adapter lends the engine for one event. */
export interface Directory {
  /** Every member of a channel (all pages), bots excluded. Throws NotInChannelError when the bot cannot see it. */
  channelMembers(channelId: string): Promise<string[]>;
  /** Whether a user administers the workspace (Slack admins and owners, Teams team owners). */
  isAdmin?(userId: string): Promise<boolean>;
  /** The IANA time zones the platform knows for these users (reminders wait for their working hours). */
  timezones?(userIds: string[]): Promise<Record<string, string>>;
}

export class NotInChannelError extends Error {
  constructor(readonly channelId: string) {
    super(`not in channel ${channelId}`);
    this.name = "NotInChannelError";
  }
}

export interface EngineDeps {
  store: Store;
  knowledge: AnswerEngine;
  bank: QuestionBank;
  clock: Clock;
  defaultTimezone: string;
}

/** What the engine decided besides its replies: side effects an adapter or the jobs carry out. */
export type Effect =
  | { type: "team-registered"; tenant: string; teamId: string }
  | { type: "members-changed"; tenant: string; teamId: string; joined: string[]; left: string[] }
  | { type: "team-changed"; tenant: string; teamId: string; what: "leads" | "results" | "schedule" }
  | { type: "assessment-started"; tenant: string; teamId: string; round: string; userId: string }
  | { type: "assessment-completed"; tenant: string; teamId: string; round: string; userId: string }
  | {
      type: "round-opened";
      tenant: string;
      teamId: string;
      round: string;
      by: "schedule" | "lead" | "member";
    }
  | { type: "round-closed"; tenant: string; teamId: string; round: string; comparison: Comparison }
  | { type: "knowledge-answered"; intent: string; confidence: number }
  /** A lead asked for the members of an open round who were not nudged yet to be nudged now. */
  | { type: "nudge-requested"; tenant: string; teamId: string; round: string }
  /** A lead asked for a reminder now. */
  | { type: "remind-requested"; tenant: string; teamId: string; round: string }
  | { type: "digest-requested"; tenant: string }
  | { type: "dead-letter-retry"; tenant: string; letter: DeadLetter };

export interface Outcome {
  replies: Reply[];
  effects: Effect[];
}

export interface Turn {
  event: ChatEvent;
  audience: Audience;
  directory?: Directory;
  deps: EngineDeps;
  /** Filled in as the turn goes. */
  effects: Effect[];
}

export function newTurn(event: ChatEvent, deps: EngineDeps, directory?: Directory): Turn {
  return { event, audience: audienceOf(event), deps, effects: [], ...(directory ? { directory } : {}) };
}
