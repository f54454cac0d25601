import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";

/**
 * The zero-setup default: when REDIS_URL is not set, use the Redis on 127.0.0.1:<port>, and when nothing
 * answers there, run a local redis-server as a child process (append-only data under dataDir) that stops
 * with the bot.
 */
export interface LocalRedis {
  url: string;
  /** True when this process started redis-server (false: one was already answering). */
  started: boolean;
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  port: number;
  dataDir: string;
  /** The redis-server executable (tests point it elsewhere). */
  binary?: string;
  /** How long to wait for a started redis-server to answer. */
  timeoutMs?: number;
}

export class LocalRedisError extends Error {
  override name = "LocalRedisError";
}

export async function ensureLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const { port, dataDir, binary = "redis-server", timeoutMs = 10_000 } = options;
  const url = `redis://127.0.0.1:${port}`;
  if (await redisAnswers(port)) return { url, started: false, stop: async () => undefined };

  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    binary,
    ["--bind", "127.0.0.1", "--port", String(port), "--dir", dataDir, "--appendonly", "yes", "--save", ""],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Whatever way this process ends, the child goes with it.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);

  const exited = new Promise<Error>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === "ENOENT"
          ? new LocalRedisError(
              `nothing answers on 127.0.0.1:${port} and redis-server is not installed: run \`docker compose up -d redis\`, install the redis-server package (Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL`,
            )
          : new LocalRedisError(`could not run ${binary}: ${error.message}`),
      ),
    );
    child.once("exit", (code, signal) =>
      resolve(
        new LocalRedisError(
          `the local redis-server on port ${port} stopped (${signal ?? `exit code ${code}`}): ${lastLine(output)}`,
        ),
      ),
    );
  });
  const ready = waitUntilAnswers(port, timeoutMs);
  const outcome = await Promise.race([ready, exited]);
  if (outcome !== true) {
    process.removeListener("exit", killOnExit);
    child.kill("SIGKILL");
    throw outcome instanceof Error
      ? outcome
      : new LocalRedisError(`the local redis-server did not answer on port ${port} within ${timeoutMs} ms`);
  }
  return {
    url,
    started: true,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}

/** True when something speaking Redis answers a PING on 127.0.0.1:port (an auth error is an answer too). */
export function redisAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(/^[+-]/.test(data.toString("utf8"))));
  });
}

async function waitUntilAnswers(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await redisAnswers(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** SIGTERM lets Redis flush its append-only file; SIGKILL after 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function lastLine(lines: string[]): string {
  return lines.at(-1)?.replace(/^\d+:[A-Z] .*?[*#-] /, "") ?? "no output";
}
