import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ensureLocalRedis, type LocalRedis, redisAnswers } from "../../../src/runtime/local-redis.js";
import { freePort } from "../../support/processes.js";

// The launcher runs on a free port of its own (the LOCAL_REDIS_PORT override), never on 6379.
const dir = mkdtempSync(path.join(tmpdir(), "mb-local-redis-"));
const started: LocalRedis[] = [];
afterAll(async () => {
  for (const redis of started) await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the local Redis default", () => {
  it("starts redis-server with append-only data in the data folder, reuses it, and stops it", async () => {
    const port = await freePort();
    const dataDir = path.join(dir, "data");
    const local = await ensureLocalRedis({ port, dataDir });
    started.push(local);
    expect(local).toMatchObject({ url: `redis://127.0.0.1:${port}`, started: true });

    const client = new Redis(local.url);
    await client.set("mb-local-test", "kept");
    expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    await client.quit();
    expect(existsSync(dataDir) && readdirSync(dataDir).some((name) => name.startsWith("appendonly"))).toBe(
      true,
    );

    // Something already answers: it is used as it is, nothing more is started.
    const again = await ensureLocalRedis({ port, dataDir });
    expect(again.started).toBe(false);

    await local.stop();
    expect(await redisAnswers(port)).toBe(false);
  });

  it("says in one line how to get Redis when redis-server is not installed", async () => {
    const port = await freePort();
    await expect(
      ensureLocalRedis({ port, dataDir: path.join(dir, "none"), binary: "redis-server-not-installed" }),
    ).rejects.toThrow(
      `nothing answers on 127.0.0.1:${port} and redis-server is not installed: run \`docker compose up -d redis\`, install the redis-server package (Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL`,
    );
  });

  it("names the reason when redis-server stops at once", async () => {
    const port = await freePort();
    const file = path.join(dir, "a-file");
    await import("node:fs/promises").then((fs) => fs.writeFile(file, "not a folder"));
    await expect(ensureLocalRedis({ port, dataDir: path.join(file, "data") })).rejects.toThrow(
      /ENOTDIR|not a directory/,
    );
  });
});
