import type { z } from "zod";
import type { MemberPrefs, Session } from "../core/conversation/ports.js";
import type { Target } from "../core/notify.js";
import type { RedisClient } from "./client.js";
import type { Keys } from "./keys.js";
import { prefsSchema, sessionSchema } from "./schemas.js";
import { AFTER_DELIVERY, BEFORE_DELIVERY, evalScript, PACE } from "./scripts.js";

/** Sent markers and notice counts outlive the job ids that also keep a message from going out twice. */
const DELIVERY_KEEP_S = 400 * 86_400;

/** A delivery about to be sent: its job id, its conversation, and what may still drop it. */
export interface PendingDelivery {
  id: string;
  platform: string;
  /** The conversation, for its pace: a user (a direct message) or a channel. */
  to: Target["to"];
  paceMs: number;
  /** A nudge or reminder: dropped when its member completed the round or opted out meanwhile. */
  unlessDone?: { teamId: string; round: string; userId: string };
}

/** What a delivery finds before it sends (one round trip). */
export type DeliveryState =
  | { sent: true }
  | {
      sent: false;
      /** The user's DM channel as last seen, when it is a direct message. */
      dmChannel?: string;
      /** How long to wait for the conversation's pace (0: now); the send slot is reserved. */
      wait?: number;
      /** When something may drop the message: the records to decide with; no slot was reserved yet. */
      member?: DeliveryMember;
    };

/** A nudge's or reminder's member as the delivery finds them: their session, settings, the open round. */
export interface DeliveryMember {
  session?: Session;
  prefs: MemberPrefs;
  openRound?: string;
}

/** Checks a record's stored text, moving a corrupt one aside (the store's own check). */
type Check = <S extends z.ZodType>(key: string, raw: string, schema: S) => Promise<z.infer<S> | undefined>;

/**
 * What the delivery jobs keep in Redis so that each message goes out once and at the platform's pace:
 * sent markers, each conversation's next send slot, the DM channel last seen, nudge and reminder counts.
 * Each side of a send is one round trip.
 */
export class Deliveries {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly check: Check,
  ) {}

  /**
   * Before a delivery sends, in one round trip: whether it was sent already; the DM channel last seen; the
   * conversation's send slot, unless the member's records may drop the message (then those records).
   */
  async before(tenant: string, delivery: PendingDelivery): Promise<DeliveryState> {
    const { to, unlessDone: done } = delivery;
    const keys = [
      this.keys.sent(tenant, delivery.id),
      this.keys.pace(tenant, to.kind === "dm" ? to.user : to.channel),
      this.keys.dmChannels(tenant, delivery.platform),
    ];
    if (done) {
      keys.push(
        this.keys.session(tenant, done.teamId, done.round, done.userId),
        this.keys.prefs(tenant, done.userId),
        this.keys.openRound(tenant, done.teamId),
      );
    }
    const [sent, wait, dm, session, prefs, open] = (await evalScript(
      this.redis,
      BEFORE_DELIVERY,
      keys.length,
      ...keys,
      delivery.paceMs,
      to.kind === "dm" ? to.user : "",
      done?.round ?? "",
    )) as [number, number?, (string | null)?, (string | null)?, (string | null)?, (string | null)?];
    if (sent === 1) return { sent: true };
    const dmChannel = dm ? { dmChannel: dm } : {};
    if (wait !== undefined && wait >= 0) return { sent: false, wait, ...dmChannel };
    const [checkedSession, checkedPrefs] = await Promise.all([
      session ? this.check(keys[3]!, session, sessionSchema) : undefined,
      prefs ? this.check(keys[4]!, prefs, prefsSchema) : undefined,
    ]);
    return {
      sent: false,
      ...dmChannel,
      member: {
        ...(checkedSession ? { session: checkedSession } : {}),
        prefs: checkedPrefs ?? {},
        ...(open ? { openRound: open } : {}),
      },
    };
  }

  /** Reserves a conversation's next send slot, `gapMs` after the last; returns how long to wait (0: now). */
  async pace(tenant: string, to: string, gapMs: number): Promise<number> {
    return Number(await evalScript(this.redis, PACE, 1, this.keys.pace(tenant, to), gapMs));
  }

  /**
   * After a delivery was sent, in one round trip: its sent marker, the DM channel it went to (when new),
   * and the member's count of the nudge or reminder.
   */
  async after(
    tenant: string,
    delivery: {
      id: string;
      platform: string;
      dm?: { user: string; channel: string };
      notice?: { teamId: string; round: string; userId: string; kind: "nudge" | "reminder" };
    },
  ): Promise<void> {
    const { dm, notice } = delivery;
    const keys = [this.keys.sent(tenant, delivery.id), this.keys.dmChannels(tenant, delivery.platform)];
    if (notice) keys.push(this.keys.notices(tenant, notice.teamId, notice.round, notice.kind));
    await evalScript(
      this.redis,
      AFTER_DELIVERY,
      keys.length,
      ...keys,
      DELIVERY_KEEP_S,
      dm?.user ?? "",
      dm?.channel ?? "",
      notice?.userId ?? "",
    );
  }

  /** How many nudges or reminders of a kind each member got in a round (counted as each is sent). */
  async noticesOf(
    tenant: string,
    teamId: string,
    round: string,
    kind: "nudge" | "reminder",
  ): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.notices(tenant, teamId, round, kind));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}
