import type { ConversationReference } from "botbuilder";
import { z } from "zod";
import type { RedisClient } from "../../store/client.js";

/**
 * What the bot needs to speak first in Teams, kept in Redis: the conversation reference of every
 * member's personal chat and of every team channel it has seen, where the tenant's Bot Connector is
 * (to open a personal chat with a member who has none yet), which channels of a Teams team are
 * registered teams (so that roster changes reach them), and members' display names (for mentions).
 */

const account = z.object({ id: z.string().min(1).max(255), name: z.string().max(255).optional() });
const referenceSchema = z.object({
  channelId: z.string().max(64),
  serviceUrl: z.string().url().max(2000),
  conversation: z
    .object({
      id: z.string().min(1).max(1000),
      conversationType: z.string().max(32).optional(),
      tenantId: z.string().max(255).optional(),
      isGroup: z.boolean().optional(),
    })
    .loose(),
  bot: account.loose().optional(),
  user: account.loose().optional(),
});
const tenantSchema = z.object({ serviceUrl: z.string().url().max(2000), bot: account });

export type StoredReference = z.infer<typeof referenceSchema>;
export type TenantEndpoint = z.infer<typeof tenantSchema>;

const NAME_TTL_S = 90 * 24 * 3600;

export class TeamsReferences {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(tenant: string, ...parts: string[]): string {
    return [`${this.prefix}:{${encodeURIComponent(tenant)}}:teams`, ...parts.map(encodeURIComponent)].join(
      ":",
    );
  }

  /** Remembers the conversation an activity came from (personal chat by user, channel by channel id). */
  async remember(
    tenant: string,
    where: { kind: "dm"; user: string } | { kind: "channel"; channel: string },
    reference: Partial<ConversationReference>,
  ): Promise<void> {
    const parsed = referenceSchema.safeParse(reference);
    if (!parsed.success) return;
    const ref = parsed.data;
    const endpoint: TenantEndpoint | undefined = ref.bot
      ? {
          serviceUrl: ref.serviceUrl,
          bot: { id: ref.bot.id, ...(ref.bot.name ? { name: ref.bot.name } : {}) },
        }
      : undefined;
    const multi = this.redis.multi();
    multi.set(this.refKey(tenant, where), JSON.stringify(ref));
    if (endpoint) multi.set(this.key(tenant, "endpoint"), JSON.stringify(endpoint));
    await multi.exec();
  }

  async reference(
    tenant: string,
    where: { kind: "dm"; user: string } | { kind: "channel"; channel: string },
  ): Promise<StoredReference | undefined> {
    return parse(referenceSchema, await this.redis.get(this.refKey(tenant, where)));
  }

  /** Forgets a conversation that is gone (the bot was removed, or the conversation deleted). */
  async forget(
    tenant: string,
    where: { kind: "dm"; user: string } | { kind: "channel"; channel: string },
  ): Promise<void> {
    await this.redis.del(this.refKey(tenant, where));
  }

  async endpoint(tenant: string): Promise<TenantEndpoint | undefined> {
    return parse(tenantSchema, await this.redis.get(this.key(tenant, "endpoint")));
  }

  async addTeamChannel(tenant: string, teamsTeamId: string, channelId: string): Promise<void> {
    await this.redis.sadd(this.key(tenant, "channels", teamsTeamId), channelId);
  }

  async teamChannels(tenant: string, teamsTeamId: string): Promise<string[]> {
    return this.redis.smembers(this.key(tenant, "channels", teamsTeamId));
  }

  async saveNames(tenant: string, names: Map<string, string>): Promise<void> {
    if (names.size === 0) return;
    const key = this.key(tenant, "names");
    await this.redis.multi().hset(key, Object.fromEntries(names)).expire(key, NAME_TTL_S).exec();
  }

  async names(tenant: string, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return out;
    const values = await this.redis.hmget(this.key(tenant, "names"), ...unique);
    unique.forEach((id, i) => {
      const name = values[i];
      if (name) out.set(id, name);
    });
    return out;
  }

  private refKey(
    tenant: string,
    where: { kind: "dm"; user: string } | { kind: "channel"; channel: string },
  ): string {
    return where.kind === "dm"
      ? this.key(tenant, "ref", "user", where.user)
      : this.key(tenant, "ref", "channel", where.channel);
  }
}

function parse<T>(schema: z.ZodType<T>, raw: string | null): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
