import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix of its own for one test (file), so parallel tests never meet. */
export function testPrefix(name: string): string {
  return `mbtest-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 20)}-${randomUUID().slice(0, 8)}`;
}

export function connect(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Deletes every key under a prefix (used in afterAll/afterEach). */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}

/** Every key under a prefix with its type and value, sorted: equal snapshots mean nothing was stored. */
export async function snapshotPrefix(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    out[key] =
      type === "string"
        ? await redis.get(key)
        : type === "hash"
          ? await redis.hgetall(key)
          : type === "set"
            ? (await redis.smembers(key)).sort()
            : type === "zset"
              ? await redis.zrange(key, "0", "-1", "WITHSCORES")
              : type === "list"
                ? await redis.lrange(key, 0, -1)
                : type === "stream"
                  ? await redis.xrange(key, "-", "+")
                  : type;
  }
  return out;
}
