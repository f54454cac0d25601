import { z } from "zod";
import { stripMentionMarks } from "../reply.js";

/** A normalised chat event: what every adapter turns its platform's payload into. */

const id = z.string().trim().min(1).max(255);

const base = {
  platform: z.enum(["slack", "teams", "playground"]),
  /** Slack workspace (team) id, Teams tenant id, or "playground". */
  tenant: id,
  user: z.object({ id, name: z.string().max(255).optional() }),
  channel: z.object({ id, kind: z.enum(["dm", "channel"]), name: z.string().max(255).optional() }),
  /** The user's time zone when the platform knows it (IANA name). */
  timezone: z.string().max(64).optional(),
  /** Platform id of the delivery, to process a retried delivery once. */
  deliveryId: z.string().max(255).optional(),
  /** Whether the message was in a thread (answers go to the same thread). */
  inThread: z.boolean().optional(),
};

/** People mentioned in the text, resolved by the adapter (the text keeps a plain "@name" for each). */
const mentions = z
  .array(z.object({ id, name: z.string().max(255).optional() }))
  .max(50)
  .default([]);

/** A button's value: the reply model's flat object of strings, numbers and booleans. */
const actionValue = z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]));

export const chatEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("command"),
    name: z.string().trim().max(64),
    args: z.string().max(2000).default("").transform(stripMentionMarks),
    mentions,
  }),
  z.object({
    ...base,
    type: z.literal("action"),
    /** The button id (action_id). */
    actionId: z.string().max(255),
    /** The button value, parsed from its JSON (undefined when it was not a flat object); checked per action. */
    value: actionValue.optional().catch(undefined),
  }),
  z.object({
    ...base,
    type: z.literal("message"),
    text: z.string().max(4000).transform(stripMentionMarks),
    /** The bot was @mentioned (its own mention already removed from the text). */
    mention: z.boolean().default(false),
    mentions,
  }),
  z.object({
    ...base,
    type: z.literal("members"),
    change: z.enum(["joined", "left"]),
    members: z.array(id).max(1000),
  }),
]);

export type ChatEvent = z.infer<typeof chatEventSchema>;
export type ChatEventInput = z.input<typeof chatEventSchema>;

export type ActionValueInput = z.infer<typeof actionValue>;

/** A button value as the engine takes it: a flat object of strings, numbers and booleans, else undefined. */
export function parseActionValue(raw: unknown): ActionValueInput | undefined {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  const parsed = actionValue.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
