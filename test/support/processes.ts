import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/** Polls until check() is true; throws with what was awaited after timeoutMs. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A redis-server of the test's own (never the shared one), without persistence unless asked. */
export interface OwnRedis {
  port: number;
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface OwnRedisOptions {
  /** Append-only persistence in this folder, every write fsynced before it is acknowledged. */
  appendOnlyDir?: string;
}

export async function startOwnRedis(port: number, options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const persistence = options.appendOnlyDir
    ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", options.appendOnlyDir]
    : ["--appendonly", "no"];
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", ...persistence],
    { stdio: "ignore" },
  );
  const { redisAnswers } = await import("../../src/runtime/local-redis.js");
  await waitFor(`redis-server on port ${port}`, () => redisAnswers(port));
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: (signal: NodeJS.Signals = "SIGTERM") => stopProcess(child, signal),
  };
}

/** SIGTERM, then waits for the exit. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
