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

export const chatEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("command"),
    name: z.string().trim().max(64),
    args: z.string().max(2000).default("").transform(stripMentionMarks),
  }),
  z.object({
    ...base,
    type: z.literal("action"),
    /** The button id (action_id). */
    actionId: z.string().max(255),
    /** The button value, parsed from its JSON; validated per action by the engine. */
    value: z.unknown(),
  }),
  z.object({
    ...base,
    type: z.literal("message"),
    text: z.string().max(4000).transform(stripMentionMarks),
    mention: z.boolean().default(false),
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
