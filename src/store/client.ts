import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { RedisClusterConfig } from "../config/index.js";

/** One Redis or a Redis Cluster: the store, the adapters and the queues work with either. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one server by URL, or a cluster by its seed nodes (the configuration's choice). */
export interface RedisTarget {
  redisUrl: string;
  redisCluster?: RedisClusterConfig;
}

/**
 * Creates a client for the target. The options are those of one connection; on a cluster they apply to
 * the connection to every node, and retryStrategy becomes the cluster's reconnect strategy.
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  const cluster = target.redisCluster;
  if (!cluster) return new Redis(target.redisUrl, options);
  const { retryStrategy, lazyConnect, enableOfflineQueue, ...perNode } = options;
  return new Cluster(cluster.nodes, {
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) ?? null } : {}),
    redisOptions: {
      ...perNode,
      ...(cluster.username ? { username: cluster.username } : {}),
      ...(cluster.password ? { password: cluster.password } : {}),
      ...(cluster.tls ? { tls: {} } : {}),
    },
  });
}
