import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { freePort, stopProcess, waitFor } from "./processes.js";

const run = promisify(execFile);

/**
 * Why a Redis Cluster cannot be started here, or undefined when it can: redis-server and redis-cli must
 * be installed, and redis-server 7 or newer (its cluster bus port is set with --cluster-port, so that
 * both ports are free ones).
 */
export function clusterUnsupported(): string | undefined {
  const server = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (server.error || server.status !== 0) return "redis-server is not installed";
  const cli = spawnSync("redis-cli", ["--version"], { encoding: "utf8" });
  if (cli.error || cli.status !== 0) return "redis-cli is not installed";
  const major = Number(/v=(\d+)\./.exec(server.stdout)?.[1] ?? 0);
  if (major < 7) return `redis-server ${major || "of unknown version"} is older than 7 (no --cluster-port)`;
  return undefined;
}

/** A Redis Cluster of the test's own on loopback: masters only, no persistence, in a temporary folder. */
export interface OwnCluster {
  ports: number[];
  /** REDIS_CLUSTER_NODES for the app. */
  nodes: string;
  stop(): Promise<void>;
}

export async function startOwnCluster(size = 3): Promise<OwnCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "mb-cluster-"));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopProcess(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const taken = new Set<number>();
    const port = async () => {
      let p = await freePort();
      while (taken.has(p)) p = await freePort();
      taken.add(p);
      return p;
    };
    const ports: number[] = [];
    for (let i = 0; i < size; i++) {
      const [client, bus] = [await port(), await port()];
      ports.push(client);
      // biome-ignore format: one option per line
      const child = spawn("redis-server", [
        "--bind", "127.0.0.1",
        "--port", String(client),
        "--cluster-enabled", "yes",
        "--cluster-port", String(bus),
        "--cluster-config-file", path.join(dir, `nodes-${client}.conf`),
        "--cluster-node-timeout", "5000",
        "--dir", dir,
        "--save", "",
        "--appendonly", "no",
      ], { stdio: "ignore" });
      children.push(child);
    }
    const { redisAnswers } = await import("../../src/runtime/local-redis.js");
    for (const p of ports) await waitFor(`redis-server on port ${p}`, () => redisAnswers(p));
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    // Every node must agree that all slots are served before a client is let in.
    for (const p of ports) {
      const node = new Redis(p, "127.0.0.1", { maxRetriesPerRequest: 1 });
      try {
        await waitFor(
          `cluster_state:ok on port ${p}`,
          async () => /cluster_state:ok/.test(String(await node.cluster("INFO"))),
          20_000,
        );
      } finally {
        node.disconnect();
      }
    }
    return { ports, nodes: ports.map((p) => `127.0.0.1:${p}`).join(","), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
