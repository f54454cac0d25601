import type { QuestionBank } from "../assessment/bank.js";
import type { AnswerEngine } from "../knowledge/answer.js";
import type { ChatEvent } from "./events.js";
import type { Clock, Store } from "./ports.js";

/** Platform services an adapter lends the engine for one event. */
export interface Directory {
  /** Every member of a channel (all pages), bots excluded. Throws NotInChannelError when the bot cannot see it. */
  channelMembers(channelId: string): Promise<string[]>;
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
  /** Told about failures the user only sees as a friendly message (storage down, a bug). */
  onError?: (error: unknown, event: ChatEvent) => void;
  hooks?: EngineHooks;
}

/** What the rest of the app may want to know about (metrics; later, summaries and App Home refreshes). */
export interface EngineHooks {
  handled?(event: ChatEvent, seconds: number): void;
  completed?(done: { tenant: string; teamId: string; round: string; userId: string; platform: string }): void;
  /** A new assessment session (not a resume). */
  started?(begun: { tenant: string; teamId: string; round: string; userId: string; platform: string }): void;
  /** A question answered from the knowledge base. */
  answered?(answer: { intent: string; confidence: number; platform: string }): void;
}

export interface Turn {
  event: ChatEvent;
  directory?: Directory;
  deps: EngineDeps;
}
