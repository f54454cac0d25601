import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisAnswers } from "../../../src/runtime/local-redis.js";
import { freePort, stopProcess, waitFor } from "../../support/processes.js";
import { testPrefix } from "../../support/redis.js";

// The production entry point, `node dist/main.js`, run from a folder of its own (its .env, its ./data),
// with REDIS_URL unset and nothing on LOCAL_REDIS_PORT: it starts, and later stops, a redis-server of its own.
const root = new URL("../../../", import.meta.url).pathname;
const entry = path.join(root, "dist", "main.js");
const cwd = mkdtempSync(path.join(tmpdir(), "mb-dist-"));
const { REDIS_URL: _unset, ...baseEnv } = process.env;
let bot: ChildProcess | undefined;

beforeAll(() => {
  // npm test builds first; a run of this file alone builds when the sources are newer than dist/.
  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs"), "--if-stale"], {
    cwd: root,
    encoding: "utf8",
    timeout: 180_000,
  });
  expect(build.status, build.stderr).toBe(0);
}, 200_000);

afterAll(async () => {
  if (bot) await stopProcess(bot, "SIGKILL");
  rmSync(cwd, { recursive: true, force: true });
});

describe("node dist/main.js", () => {
  it("reads .env, starts its own Redis, serves /healthz and /readyz, and stops both on SIGTERM", async () => {
    const [port, redisPort] = [await freePort(), await freePort()];
    writeFileSync(path.join(cwd, ".env"), `PORT=${port}\nLOG_LEVEL=debug\n`);
    bot = spawn(process.execPath, [entry], {
      cwd,
      env: { ...baseEnv, NODE_ENV: "", LOCAL_REDIS_PORT: String(redisPort), KEY_PREFIX: testPrefix("dist") },
    });
    let output = "";
    bot.stdout?.on("data", (d) => {
      output += String(d);
    });
    bot.stderr?.on("data", (d) => {
      output += String(d);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      "the bot to listen",
      () => /maturity-bot is listening/.test(output) || bot!.exitCode !== null,
      20_000,
    );
    expect(bot.exitCode, output).toBeNull();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    await waitFor("/readyz to be 200", async () => (await fetch(`${url}/readyz`)).status === 200);
    expect(output).toContain("started a local redis-server");
    expect(await redisAnswers(redisPort)).toBe(true);
    expect(readdirSync(path.join(cwd, "data"))).toContain("appendonlydir");
    // One JSON line per request, at debug for probes.
    expect(output).toMatch(/"message":"request".*"route":"\/healthz","status":200/);

    const exited = new Promise<number | null>((resolve) => bot!.once("exit", (code) => resolve(code)));
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await redisAnswers(redisPort)).toBe(false);
  });

  it("stops with one line naming the variable when .env has a bad value", () => {
    const dir = mkdtempSync(path.join(cwd, "bad-"));
    writeFileSync(path.join(dir, ".env"), "ROLE=everything\n");
    const run = spawnSync(process.execPath, [entry], {
      cwd: dir,
      env: baseEnv,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe("maturity-bot cannot start: ROLE: must be web, worker or all");
  });
});
