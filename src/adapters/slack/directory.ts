import { type Directory, NotInChannelError } from "../../core/conversation/context.js";
import { type SlackApi, SlackApiError } from "./api.js";
import type { UserCache } from "./users.js";

const PAGE_SIZE = 200;
const MAX_PAGES = 100;
const LOOKUP_CONCURRENCY = 8;

/**
 * The engine's view of Slack's member lists: every page of conversations.members, without bots (the
 * app's own bot user, and anyone users.info calls a bot or a deactivated account).
 */
export function slackDirectory(api: SlackApi, users: UserCache, botUserId: string | undefined): Directory {
  return {
    async channelMembers(channelId: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        let result: Record<string, unknown>;
        try {
          result = await api.call(
            "conversations.members",
            { channel: channelId, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
            ["not_in_channel", "channel_not_found"],
          );
        } catch (error) {
          if (
            error instanceof SlackApiError &&
            (error.code === "not_in_channel" || error.code === "channel_not_found")
          ) {
            throw new NotInChannelError(channelId);
          }
          throw error;
        }
        for (const id of (result.members as unknown[] | undefined) ?? [])
          if (typeof id === "string") ids.push(id);
        cursor = (result.response_metadata as { next_cursor?: string } | undefined)?.next_cursor || undefined;
        if (!cursor) break;
      }
      const candidates = [...new Set(ids)].filter((id) => id !== botUserId);
      return humans(api, users, candidates);
    },
    async timezones(userIds: string[]): Promise<Record<string, string>> {
      // Only what the member lookups above already cached: no extra call per member.
      const zones: Record<string, string> = {};
      for (const id of userIds) {
        const tz = users.cached(api.tenant, id)?.tz;
        if (tz) zones[id] = tz;
      }
      return zones;
    },
    async isAdmin(userId: string): Promise<boolean> {
      return Boolean((await users.get(api, userId))?.admin);
    },
  };
}

/** The ids that belong to people: bots and deactivated accounts are left out; an unknown lookup keeps the id. */
export async function humans(api: SlackApi, users: UserCache, ids: string[]): Promise<string[]> {
  const keep = new Array<boolean>(ids.length).fill(true);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      try {
        const user = await users.get(api, ids[i]!);
        keep[i] = user !== undefined && !user.isBot && !user.deleted;
      } catch {
        keep[i] = true; // Slack did not answer: better a bot in the list than a person missing from it
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, ids.length) }, worker));
  return ids.filter((_, i) => keep[i]);
}
