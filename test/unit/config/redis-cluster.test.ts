import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";

describe("REDIS_CLUSTER_NODES", () => {
  it("lists the seed nodes of a cluster, and no local Redis is used or started", () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: " redis-1:6379, 10.0.0.2:7001 ,[::1]:7002" });
    expect(config.redisCluster).toEqual({
      nodes: [
        { host: "redis-1", port: 6379 },
        { host: "10.0.0.2", port: 7001 },
        { host: "::1", port: 7002 },
      ],
      tls: false,
    });
    expect(config.localRedisPort).toBeUndefined();
  });

  it("takes credentials and TLS from URL items", () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: "rediss://bot:s%3Acret@cache-1:6380,rediss://cache-2:6380",
    });
    expect(config.redisCluster).toEqual({
      nodes: [
        { host: "cache-1", port: 6380 },
        { host: "cache-2", port: 6380 },
      ],
      username: "bot",
      password: "s:cret",
      tls: true,
    });
  });

  it("is off when unset: one Redis, as before", () => {
    expect(loadConfig({}).redisCluster).toBeUndefined();
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: "redis-1" }, /^REDIS_CLUSTER_NODES: list the cluster's nodes as host:port/],
    [{ REDIS_CLUSTER_NODES: "redis-1:6379,:6379" }, /^REDIS_CLUSTER_NODES: list the cluster's nodes/],
    [{ REDIS_CLUSTER_NODES: "http://redis-1:6379" }, /^REDIS_CLUSTER_NODES: list the cluster's nodes/],
    [{ REDIS_CLUSTER_NODES: "redis://redis-1:6379/2" }, /^REDIS_CLUSTER_NODES: list the cluster's nodes/],
    [{ REDIS_CLUSTER_NODES: " , " }, /^REDIS_CLUSTER_NODES: list the cluster's nodes/],
    [
      { REDIS_CLUSTER_NODES: "rediss://a:1,redis://b:2" },
      /^REDIS_CLUSTER_NODES: use redis:\/\/ for every node or rediss:\/\/ for every node$/,
    ],
    [
      { REDIS_CLUSTER_NODES: "a:1", REDIS_URL: "redis://cache:6379" },
      /^REDIS_CLUSTER_NODES: set either REDIS_URL \(one Redis\) or REDIS_CLUSTER_NODES \(a Redis Cluster\), not both$/,
    ],
  ])("%j stops the start with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
