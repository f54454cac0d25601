import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnvFile } from "../../../src/config/env-file.js";
import { loadConfig, VARIABLES } from "../../../src/config/index.js";

const root = new URL("../../../", import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), "mb-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(".env", () => {
  it("fills in what the real environment does not set, and the real environment wins", () => {
    const file = path.join(dir, "wins.env");
    writeFileSync(file, "ROLE=worker\nKEY_PREFIX=fromfile # a comment\nLOG_LEVEL='debug'\n");
    const env: NodeJS.ProcessEnv = { ROLE: "web" };
    expect(loadEnvFile(file, env).sort()).toEqual(["KEY_PREFIX", "LOG_LEVEL"]);
    expect(env).toEqual({ ROLE: "web", KEY_PREFIX: "fromfile", LOG_LEVEL: "debug" });
  });

  it("is optional", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile(path.join(dir, "missing.env"), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it(".env.example copied as it is starts the playground with no platform on", () => {
    const env: NodeJS.ProcessEnv = {};
    loadEnvFile(path.join(root, ".env.example"), env);
    const config = loadConfig(env);
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
    expect(config.playground).toBe(true);
    expect(config.localRedisPort).toBe(6379);
  });

  it(".env.example documents every variable", () => {
    const example = readFileSync(path.join(root, ".env.example"), "utf8");
    const missing = VARIABLES.filter((name) => !new RegExp(`^#? ?${name}=`, "m").test(example));
    expect(missing).toEqual([]);
  });

  it(".env.example with the two Slack secrets filled in starts Slack, not Teams", () => {
    const file = path.join(dir, "slack.env");
    const example = readFileSync(path.join(root, ".env.example"), "utf8")
      .replace(/^SLACK_SIGNING_SECRET=$/m, "SLACK_SIGNING_SECRET=abc")
      .replace(/^SLACK_BOT_TOKEN=$/m, "SLACK_BOT_TOKEN=xoxb-1-2");
    writeFileSync(file, example);
    const env: NodeJS.ProcessEnv = {};
    loadEnvFile(file, env);
    const config = loadConfig(env);
    expect(config.slack?.botToken).toBe("xoxb-1-2");
    expect(config.teams).toBeUndefined();
  });
});

describe("configuration for operations", () => {
  it("a lone MICROSOFT_APP_TYPE does not turn Teams on", () => {
    expect(loadConfig({ MICROSOFT_APP_TYPE: "MultiTenant" }).teams).toBeUndefined();
    expect(() => loadConfig({ MICROSOFT_APP_TYPE: "Sometimes" })).toThrow(
      /^MICROSOFT_APP_TYPE: must be MultiTenant, SingleTenant or UserAssignedMSI/,
    );
  });

  it("uses, or starts, a local Redis only when REDIS_URL is not set", () => {
    expect(loadConfig({ LOCAL_REDIS_PORT: "6390" })).toMatchObject({
      redisUrl: "redis://127.0.0.1:6390",
      localRedisPort: 6390,
    });
    const given = loadConfig({ REDIS_URL: "redis://cache:6379" });
    expect(given.redisUrl).toBe("redis://cache:6379");
    expect(given.localRedisPort).toBeUndefined();
  });

  it.each([
    [{ METRICS_PORT: "metrics" }, /^METRICS_PORT: must be a port number \(1-65535\)$/],
    [{ METRICS_PORT: "3000" }, /^METRICS_PORT: must differ from PORT \(3000\)/],
    [{ PORT: "70000" }, /^PORT: must be a port number \(1-65535\)$/],
    [{ LOCAL_REDIS_PORT: "0" }, /^LOCAL_REDIS_PORT: must be a port number/],
  ])("%j stops the start naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("METRICS_PORT moves /metrics off PORT", () => {
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
    expect(loadConfig({ METRICS_PORT: "" }).metricsPort).toBeUndefined();
  });
});
