import { randomUUID } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import type { RedisClient } from "../../src/store/client.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix of its own for one test (file), so parallel tests never meet. */
export function testPrefix(name: string): string {
  return `mbtest-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 20)}-${randomUUID().slice(0, 8)}`;
}

export function connect(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/**
 * Deletes every key under a prefix (used in afterAll/afterEach). On a cluster, SCAN sees one node's keys
 * only, so every master is scanned, and keys are deleted one by one: a DEL of several keys in different
 * slots is refused (CROSSSLOT).
 */
export async function cleanPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const cluster = redis instanceof Cluster;
  const nodes = cluster ? redis.nodes("master") : [redis];
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length === 0) continue;
      if (cluster) await node.pipeline(keys.map((key) => ["unlink", key])).exec();
      else await node.del(...keys);
    } while (cursor !== "0");
  }
}

/** Every key under a prefix with its type and value, sorted: equal snapshots mean nothing was stored. */
export async function snapshotPrefix(redis: RedisClient, prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  for (const node of redis instanceof Cluster ? redis.nodes("master") : [redis]) {
    let cursor = "0";
    do {
      const [next, found] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
  }
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
