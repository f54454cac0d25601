import { type SlackApi, SlackApiError } from "./api.js";

export interface SlackUser {
  isBot: boolean;
  deleted: boolean;
  /** A workspace admin or owner. */
  admin: boolean;
  /** IANA time zone, when Slack knows it. */
  tz?: string;
}

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 20_000;

/** users.info with a one-hour cache per workspace and user: whether someone is a bot rarely changes. */
export class UserCache {
  private readonly entries = new Map<string, { user: SlackUser; at: number }>();

  /** A cached user, without asking Slack. */
  cached(tenant: string, userId: string): SlackUser | undefined {
    const hit = this.entries.get(`${tenant}:${userId}`);
    return hit && Date.now() - hit.at < TTL_MS ? hit.user : undefined;
  }

  async get(api: SlackApi, userId: string): Promise<SlackUser | undefined> {
    const key = `${api.tenant}:${userId}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.user;
    let result: Record<string, unknown>;
    try {
      result = await api.call("users.info", { user: userId }, ["user_not_found"]);
    } catch (error) {
      if (error instanceof SlackApiError && error.code === "user_not_found") return undefined;
      throw error;
    }
    const u = (result.user ?? {}) as {
      is_bot?: boolean;
      deleted?: boolean;
      tz?: string;
      is_admin?: boolean;
      is_owner?: boolean;
    };
    const user: SlackUser = {
      isBot: Boolean(u.is_bot) || userId === "USLACKBOT",
      deleted: Boolean(u.deleted),
      admin: Boolean(u.is_admin || u.is_owner),
      tz: isTimeZone(u.tz) ? u.tz : undefined,
    };
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { user, at: Date.now() });
    return user;
  }
}

function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || !zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
