import { TeamsInfo, type TurnContext } from "botbuilder";
import { type Directory, NotInChannelError } from "../../core/conversation/context.js";
import { isBot } from "./normalise.js";
import { statusOf } from "./notifier.js";

const PAGE_SIZE = 500;
const MAX_PAGES = 100;

/**
 * The engine's view of a Teams roster during one turn: every page of the team's (or group chat's)
 * members, without bots; team owners count as admins. Names seen on the way are collected for mentions.
 */
export function teamsDirectory(context: TurnContext, names: Map<string, string>): Directory {
  const botId = context.activity.recipient.id;
  const owners = new Set<string>();
  return {
    async channelMembers(channelId: string): Promise<string[]> {
      const ids: string[] = [];
      let token: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
          for (const member of result.members ?? []) {
            if (!member.id || isBot(member.id, botId)) continue;
            ids.push(member.id);
            if (member.name) names.set(member.id, member.name);
            if (member.userRole === "owner") owners.add(member.id);
          }
          token = result.continuationToken || undefined;
          if (!token) break;
        }
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) throw new NotInChannelError(channelId);
        throw error;
      }
      return [...new Set(ids)];
    },
    async isAdmin(userId: string): Promise<boolean> {
      if (owners.has(userId)) return true;
      const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
      if (!teamId) return false;
      const member = await TeamsInfo.getTeamMember(context, teamId, userId);
      return member.userRole === "owner";
    },
  };
}
