import type { DeadLetter } from "../core/conversation/ports.js";
import type { RedisClient } from "./client.js";
import type { Keys } from "./keys.js";
import { deadLetterSchema, safeJson } from "./schemas.js";

/** The most dead letters a workspace keeps: the oldest go first. */
const KEEP = 500;

/** Messages that failed every retry, per workspace (a hash by id), shown to leads with a retry button. */
export class DeadLetters {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async add(tenant: string, letter: DeadLetter): Promise<void> {
    const valid = deadLetterSchema.parse(letter);
    const key = this.keys.deadLetters(tenant);
    await this.redis.hset(key, valid.id, JSON.stringify(valid));
    if ((await this.redis.hlen(key)) > KEEP) {
      const oldest = (await this.list(tenant)).slice(0, -KEEP).map((l) => l.id);
      if (oldest.length > 0) await this.redis.hdel(key, ...oldest);
    }
  }

  /** Oldest first; an unreadable entry is left out. */
  async list(tenant: string): Promise<DeadLetter[]> {
    const raw = await this.redis.hvals(this.keys.deadLetters(tenant));
    return raw
      .flatMap((r) => {
        const parsed = deadLetterSchema.safeParse(safeJson(r));
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  }

  /** Removes a dead letter and returns it; undefined when another process took it first. */
  async take(tenant: string, id: string): Promise<DeadLetter | undefined> {
    const key = this.keys.deadLetters(tenant);
    const [[, raw], [, removed]] = (await this.redis.multi().hget(key, id).hdel(key, id).exec()) as [
      [Error | null, string | null],
      [Error | null, number],
    ];
    if (!raw || removed !== 1) return undefined;
    const parsed = deadLetterSchema.safeParse(safeJson(raw));
    return parsed.success ? parsed.data : undefined;
  }
}
