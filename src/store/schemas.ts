import { z } from "zod";
import { MAX_TEAM_MEMBERS } from "../core/conversation/ports.js";

/** Every record kept in Redis, checked on write and on read. */

const id = z.string().min(1).max(255);
const iso = z.string().datetime();
/** "2026-Q4", "2026-11", and "2026-Q4-2" for a second round in the same period. */
export const ROUND_ID = /^\d{4}-(?:Q[1-4]|0[1-9]|1[0-2])(?:-\d{1,3})?$/;
const round = z.string().regex(ROUND_ID);
const level = z.number().int().min(1).max(5);

export const teamSchema = z.strictObject({
  id,
  tenant: id,
  platform: z.enum(["slack", "teams", "playground"]),
  name: z.string().max(255).optional(),
  timezone: z.string().min(1).max(64),
  leads: z.array(id).min(1).max(1000),
  members: z.array(id).max(MAX_TEAM_MEMBERS),
  createdAt: iso,
  createdBy: id,
  schedule: z
    .strictObject({
      cadence: z.enum(["quarterly", "monthly"]),
      hour: z.number().int().min(0).max(23),
      minute: z.number().int().min(0).max(59),
      windowDays: z.number().int().min(1).max(90),
      reminderDays: z.array(z.number().int().min(1).max(90)).max(5),
    })
    .optional(),
  resultsOpen: z.boolean().optional(),
  version: z.number().int().min(0).optional(),
});

export const answersSchema = z.record(z.string().max(64), level.nullable());

export const sessionSchema = z
  .strictObject({
    tenant: id,
    teamId: id,
    round,
    userId: id,
    mode: z.enum(["full", "quick"]),
    keys: z.array(z.string().min(1).max(64)).min(1).max(50),
    answers: answersSchema,
    cursor: z.number().int().min(0),
    status: z.enum(["in-progress", "completed"]),
    startedAt: iso,
    completedAt: iso.optional(),
    version: z.number().int().min(1),
  })
  .refine((s) => s.cursor <= s.keys.length, "cursor is past the last question")
  .refine(
    (s) => Object.keys(s.answers).every((k) => s.keys.includes(k)),
    "answer to a question not in the session",
  )
  .refine(
    (s) => (s.status === "completed") === (s.cursor === s.keys.length),
    "status does not match the cursor",
  );

const frozenResultSchema = z.strictObject({
  respondents: z.number().int().min(0),
  members: z.number().int().min(0),
  visible: z.boolean(),
  score: z.number().min(1).max(5).optional(),
  level: level.optional(),
  band: z.enum(["strong", "developing", "weak"]).optional(),
  components: z.array(
    z.strictObject({
      id: z.string().max(64),
      score: z.number().min(1).max(5).optional(),
      level: level.optional(),
    }),
  ),
  disagreements: z.array(z.string().max(64)),
});

export const roundSchema = z.strictObject({
  id: round,
  teamId: id,
  cadence: z.enum(["quarterly", "monthly"]),
  openedAt: iso,
  deadline: iso,
  openedBy: z.enum(["schedule", "lead", "member"]),
  members: z.array(id).max(20000),
  closedAt: iso.optional(),
  closedBy: z.enum(["deadline", "all-completed", "lead", "next-round"]).optional(),
  result: frozenResultSchema.optional(),
});

export const outboxEntrySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("completed"), teamId: id, round, userId: id, at: iso }),
  z.strictObject({ type: z.literal("round-closed"), teamId: id, round, at: iso }),
]);

export const prefsSchema = z.strictObject({
  snoozedUntil: iso.optional(),
  optedOut: z.boolean().optional(),
  timezone: z.string().min(1).max(64).optional(),
});

export const settingsSchema = z.strictObject({
  digestChannel: id.optional(),
  digestPlatform: z.enum(["slack", "teams", "playground"]).optional(),
});

export const deadLetterSchema = z.strictObject({
  id: z.string().min(1).max(400),
  kind: z.string().max(40),
  to: z.string().max(300),
  reason: z.string().max(300),
  failedAt: iso,
  payload: z.string().max(2_000_000),
});

/** A stored text as JSON; a value no schema accepts when it is not JSON. */
export function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return Symbol("not json");
  }
}

/** A record without its undefined fields (a settings change that clears one). */
export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
