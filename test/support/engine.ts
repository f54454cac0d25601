import type { Redis } from "ioredis";
import { QuestionBank } from "../../src/core/assessment/bank.js";
import type { Directory, Outcome } from "../../src/core/conversation/context.js";
import { ConversationEngine, type HandleOptions } from "../../src/core/conversation/engine.js";
import type { ChatEventInput } from "../../src/core/conversation/events.js";
import type { Store } from "../../src/core/conversation/ports.js";
import type { Button, Choice, Reply } from "../../src/core/reply.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { TestClock } from "./clock.js";
import { realKnowledge } from "./knowledge.js";

export interface Harness {
  engine: ConversationEngine;
  store: Store;
  clock: TestClock;
  /** The replies to an event. */
  send(input: ChatEventInput, options?: HandleOptions): Promise<Reply[]>;
  /** Replies and effects of an event. */
  outcome(input: ChatEventInput, options?: HandleOptions): Promise<Outcome>;
}

export async function engineHarness(redis: Redis, prefix: string, store?: Store): Promise<Harness> {
  const { kb, engine: knowledge } = await realKnowledge();
  const clock = new TestClock();
  const s = store ?? new RedisStore(redis, prefix);
  const engine = new ConversationEngine({
    store: s,
    knowledge,
    bank: new QuestionBank(kb),
    clock,
    defaultTimezone: "UTC",
  });
  return {
    engine,
    store: s,
    clock,
    send: async (input, options) => (await engine.handle(input, options)).replies,
    outcome: (input, options) => engine.handle(input, options),
  };
}

export const TENANT = "T-test";

export function channelDirectory(members: Record<string, string[]>): Directory {
  return {
    async channelMembers(channel) {
      return [...(members[channel] ?? [])];
    },
  };
}

type Where = { channel: string } | { dm: true };

export function event(user: string, where: Where, body: Record<string, unknown>): ChatEventInput {
  return {
    platform: "playground",
    tenant: TENANT,
    user: { id: user },
    channel:
      "dm" in where
        ? { id: `D-${user}`, kind: "dm" }
        : { id: where.channel, kind: "channel", name: where.channel.toLowerCase() },
    ...body,
  } as ChatEventInput;
}

export const command = (user: string, where: Where, name: string, args = "") =>
  event(user, where, { type: "command", name, args });
export const message = (user: string, where: Where, text: string) =>
  event(user, where, { type: "message", text });
export const click = (user: string, button: Button) =>
  event(user, { dm: true }, { type: "action", actionId: button.id, value: button.value });

/** All text a user would see in a reply (markdown, headings, fields, table cells, button labels). */
export function visible(reply: Reply): string {
  return reply.blocks
    .map((b) => {
      switch (b.type) {
        case "heading":
        case "markdown":
        case "context":
          return b.text;
        case "fields":
          return b.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
        case "table":
          return [b.columns, ...b.rows].map((r) => r.join(" | ")).join("\n");
        case "choices":
          return b.choices.map((c) => `${c.label} ${c.note ?? ""} ${c.description}`).join("\n");
        case "actions":
          return b.buttons.map((x) => `[${x.label}]`).join(" ");
        default:
          return "";
      }
    })
    .join("\n");
}

export function choices(reply: Reply): Choice[] {
  return reply.blocks.flatMap((b) => (b.type === "choices" ? b.choices : []));
}

export function buttons(reply: Reply): Button[] {
  return reply.blocks.flatMap((b) =>
    b.type === "actions" ? b.buttons : b.type === "choices" ? b.choices : [],
  );
}

export function button(reply: Reply, label: string | RegExp): Button {
  const found = buttons(reply).find((b) =>
    typeof label === "string" ? b.label === label : label.test(b.label),
  );
  if (!found)
    throw new Error(
      `no button ${label} in: ${buttons(reply)
        .map((b) => b.label)
        .join(", ")}`,
    );
  return found;
}

/** Answers every remaining question of an assessment with the given levels (cycled). */
export async function answerAll(
  h: Pick<Harness, "send">,
  user: string,
  first: Reply,
  levels: number[],
): Promise<Reply> {
  let current = first;
  for (let i = 0; i < 20 && choices(current).length > 0; i++) {
    const level = levels[i % levels.length]!;
    const [next] = await h.send(click(user, button(current, `Level ${level}`)));
    if (!next) throw new Error("no reply to an answer");
    current = next;
  }
  return current;
}
