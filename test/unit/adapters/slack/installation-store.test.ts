import type { Installation } from "@slack/bolt";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisInstallationStore } from "../../../../src/adapters/slack/installation-store.js";
import { loadConfig } from "../../../../src/config/index.js";
import { Keys } from "../../../../src/store/keys.js";
import { parseKeyring } from "../../../../src/store/sealed.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** OAuth installations hold bot tokens: encrypted at rest, keys rotate, a wrong key fails loudly. */

const prefix = testPrefix("installations");
const keys = new Keys(prefix);
let redis: Redis;

const KEY_1 = Buffer.alloc(32, 1).toString("base64");
const KEY_2 = Buffer.alloc(32, 2).toString("base64");
const TOKEN = "xoxb-secret-bot-token-T9";

const installation = (team: string): Installation =>
  ({
    team: { id: team, name: "Example" },
    enterprise: undefined,
    user: { id: "UADMIN", token: "xoxp-user-token-secret", scopes: undefined },
    bot: { token: TOKEN, userId: "UBOT9", id: "BBOT9", scopes: ["commands"] },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A1",
  }) as Installation;

const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
const store = (keyring: string) => new RedisInstallationStore(redis, keys, parseKeyring(keyring));

beforeAll(() => {
  redis = connect();
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe("encrypted installation records", () => {
  it("stores no token in Redis, and reads the installation back", async () => {
    await store(`k1:${KEY_1}`).storeInstallation(installation("T9"));
    const raw = (await redis.get(keys.installation("team", "T9")))!;
    expect(raw).not.toContain("xoxb");
    expect(raw).not.toContain("xoxp");
    expect(raw).not.toContain("secret");
    expect(JSON.parse(raw)).toMatchObject({ kid: "k1" });
    expect((await store(`k1:${KEY_1}`).fetchInstallation(query("T9"))).bot?.token).toBe(TOKEN);
  });

  it("reads a record sealed with an older key after rotation, and seals new ones with the first key", async () => {
    await store(`k1:${KEY_1}`).storeInstallation(installation("T10"));
    const rotated = store(`k2:${KEY_2},k1:${KEY_1}`);
    expect((await rotated.fetchInstallation(query("T10"))).bot?.token).toBe(TOKEN);
    await rotated.storeInstallation(installation("T11"));
    expect(JSON.parse((await redis.get(keys.installation("team", "T11")))!).kid).toBe("k2");
  });

  it("fails clearly with a wrong key or a key that is no longer configured", async () => {
    await store(`k1:${KEY_1}`).storeInstallation(installation("T12"));
    await expect(store(`k1:${KEY_2}`).fetchInstallation(query("T12"))).rejects.toThrow(
      /cannot be decrypted with INSTALLATION_KEY k1/,
    );
    await expect(store(`k2:${KEY_2}`).fetchInstallation(query("T12"))).rejects.toThrow(
      /sealed with key k1, which INSTALLATION_KEY does not have/,
    );
  });

  it("does not let one workspace's record stand in for another's", async () => {
    await store(`k1:${KEY_1}`).storeInstallation(installation("T13"));
    await redis.set(keys.installation("team", "T14"), (await redis.get(keys.installation("team", "T13")))!);
    await expect(store(`k1:${KEY_1}`).fetchInstallation(query("T14"))).rejects.toThrow(/cannot be decrypted/);
  });

  it("seals a record stored before encryption the first time it is read", async () => {
    await redis.set(keys.installation("team", "T15"), JSON.stringify(installation("T15")));
    expect((await store(`k1:${KEY_1}`).fetchInstallation(query("T15"))).bot?.token).toBe(TOKEN);
    expect(await redis.get(keys.installation("team", "T15"))).not.toContain("xoxb");
  });
});

describe("INSTALLATION_KEY", () => {
  const OAUTH = {
    SLACK_SIGNING_SECRET: "s",
    SLACK_CLIENT_ID: "1.2",
    SLACK_CLIENT_SECRET: "c",
    SLACK_STATE_SECRET: "st",
  };

  it("is required when Slack OAuth is on, with how to make one", () => {
    expect(() => loadConfig(OAUTH)).toThrow(/^INSTALLATION_KEY: .*openssl rand -base64 32/);
  });

  it.each([
    "short",
    `k1:${Buffer.alloc(16).toString("base64")}`,
    `bad id!:${KEY_1}`,
    `k1:${KEY_1},k1:${KEY_2}`,
  ])("rejects %s naming the variable", (value) => {
    expect(() => loadConfig({ ...OAUTH, INSTALLATION_KEY: value })).toThrow(/^INSTALLATION_KEY: /);
  });

  it("takes one key (id k1) or a list whose first key encrypts", () => {
    expect(
      loadConfig({ ...OAUTH, INSTALLATION_KEY: KEY_1 }).slack?.oauth?.installationKeys.map((k) => k.id),
    ).toEqual(["k1"]);
    expect(
      loadConfig({
        ...OAUTH,
        INSTALLATION_KEY: `k2:${KEY_2},k1:${KEY_1}`,
      }).slack?.oauth?.installationKeys.map((k) => k.id),
    ).toEqual(["k2", "k1"]);
  });
});
