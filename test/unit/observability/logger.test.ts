import { describe, expect, it } from "vitest";
import { runInRequest } from "../../../src/observability/context.js";
import { createLogger } from "../../../src/observability/logger.js";
import { logCapture } from "../../support/log-capture.js";

const BOT_TOKEN = "xoxb-1111-2222-abcdefSECRET";
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";

describe("logger (pino)", () => {
  it("writes one JSON line per call with level, time, message and context", () => {
    const log = logCapture();
    const logger = createLogger("info", { service: "bot" }, false, { destination: log.destination });
    logger.info("hello", { port: 3000 });
    logger.debug("not at info");
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: "info", service: "bot", message: "hello", port: 3000 });
    expect(new Date(String(log.lines[0]!.time)).getTime()).not.toBeNaN();
  });

  it("redacts secrets by field, one level down and in headers, and token-shaped strings anywhere", () => {
    const log = logCapture();
    const logger = createLogger("debug", {}, false, { destination: log.destination });
    logger.child({ platform: "slack" }).warn(`call failed for ${BOT_TOKEN}`, {
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      config: { botToken: BOT_TOKEN, clientSecret: SIGNING_SECRET, appPassword: "p4ss" },
      req: { headers: { authorization: `Bearer ${SIGNING_SECRET}`, "x-slack-signature": "v0=abc" } },
      detail: `sent Authorization: Bearer ${SIGNING_SECRET}`,
      error: new Error(`invalid_auth for ${BOT_TOKEN}`),
    });
    const text = log.text();
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toContain("p4ss");
    expect(text).not.toContain("v0=abc");
    const line = log.lines[0] as Record<string, Record<string, unknown>>;
    expect(line.token).toBe("[redacted]");
    expect(line.config).toEqual({
      botToken: "[redacted]",
      clientSecret: "[redacted]",
      appPassword: "[redacted]",
    });
    expect(line.error).toMatchObject({ name: "Error", message: "invalid_auth for xox?-[redacted]" });
    expect(line.platform).toBe("slack");
  });

  it("adds the request id to every line written while a request is handled", async () => {
    const log = logCapture();
    const logger = createLogger("info", {}, false, { destination: log.destination });
    await runInRequest({ requestId: "req-42" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info("inside");
    });
    logger.info("outside");
    expect(log.lines.map((l) => l.requestId)).toEqual(["req-42", undefined]);
  });

  it("is silent when asked", () => {
    const log = logCapture();
    createLogger("debug", {}, true, { destination: log.destination }).error("nothing");
    expect(log.lines).toEqual([]);
  });
});
