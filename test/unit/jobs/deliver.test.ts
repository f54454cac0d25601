import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeReply } from "../../../jobs/codec.js";
import { deliverLater } from "../../../jobs/rounds.js";
import { SlackNotifier, slackClients } from "../../../src/adapters/slack/notifier.js";
import type { Notifier } from "../../../src/core/notify.js";
import { reply } from "../../../src/core/reply.js";
import { silentLogger } from "../../../src/observability/logger.js";
import { Metrics } from "../../../src/observability/metrics.js";
import { FakeSlack } from "../../support/fake-slack.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * One delivery's Redis bookkeeping (sent marker, pace, the DM channel last seen) against a real Redis,
 * through the Slack Notifier to a fake Slack Web API. Each test has a harness of its own, so that no
 * worker of another test takes its jobs.
 */

const TENANT = "T-deliver";
let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
});

/** A Slack Notifier of its own, as in another process: nothing remembered from any other. */
function slack(): SlackNotifier {
  return new SlackNotifier(
    slackClients({ token: "xoxb-deliver" }, { slackApiUrl: fake.apiUrl }),
    silentLogger,
    new Metrics(),
  );
}

function dm(h: JobsHarness, user: string, n: number): Promise<void> {
  return deliverLater(h.deps, `nudge|${TENANT}|C1|2026-Q${n}|${user}`, {
    kind: "nudge",
    target: { platform: "slack", tenant: TENANT, to: { kind: "dm", user } },
    reply: encodeReply(reply(`Round ${n} is open, ${user}.`)),
    label: `a direct message to ${user}`,
  });
}

async function withHarness(name: string, test: (h: JobsHarness) => Promise<void>): Promise<void> {
  const h = await jobsHarness(name);
  try {
    await test(h);
  } finally {
    await h.close();
  }
}

const opened = (user: string) => fake.callsOf("conversations.open").filter((c) => c.args.users === user);

describe("a member's direct-message channel", () => {
  it("is opened once across two nudges, though another process sends the second", () =>
    withHarness("dm-once", async (h) => {
      const first = await h.worker({ notifier: slack() });
      await dm(h, "UONCE", 1);
      await h.until("the first nudge", () => fake.messagesIn("DUONCE").length === 1);
      await first.close();
      await h.worker({ notifier: slack() });
      await dm(h, "UONCE", 2);
      await h.until("the second nudge", () => fake.messagesIn("DUONCE").length === 2);
      expect(opened("UONCE")).toHaveLength(1);
      expect(await h.redis.hget(h.store.keys.dmChannels(TENANT, "slack"), "UONCE")).toBe("DUONCE");
    }));

  it("is opened again when Slack says the channel last seen is gone; the nudge goes out once", () =>
    withHarness("dm-gone", async (h) => {
      await h.redis.hset(h.store.keys.dmChannels(TENANT, "slack"), "UGONE", "DSTALE");
      fake.fail("chat.postMessage", { error: "channel_not_found" });
      await h.worker({ notifier: slack() });
      await dm(h, "UGONE", 1);
      await h.until("the nudge", () => fake.messagesIn("DUGONE").length === 1);
      await h.settle();
      const posts = fake.callsOf("chat.postMessage").filter((c) => String(c.args.text).includes("UGONE"));
      expect(posts.map((c) => c.args.channel)).toEqual(["DSTALE", "DUGONE"]);
      expect(opened("UGONE")).toHaveLength(1);
      expect(fake.messagesIn("DUGONE")).toHaveLength(1);
      expect(await h.redis.hget(h.store.keys.dmChannels(TENANT, "slack"), "UGONE")).toBe("DUGONE");
      expect(await h.store.deadLetters(TENANT)).toEqual([]);
    }));
});

describe("one delivery", () => {
  it("is not sent again when its sent marker is there (a retry after a crash past the send)", () =>
    withHarness("sent-marker", async (h) => {
      const sent: string[] = [];
      const recording: Notifier = {
        send: async (_target, r) => {
          sent.push(r.text);
          return {};
        },
      };
      await h.worker({ notifier: recording });
      await h.redis.set(h.store.keys.sent(TENANT, `nudge|${TENANT}|C1|2026-Q1|USENT`), "1");
      await dm(h, "USENT", 1);
      await dm(h, "USENT", 2);
      await h.until("the second nudge", () => sent.length === 1);
      await h.settle();
      expect(sent).toEqual(["Round 2 is open, USENT."]);
    }));

  it("drops a nudge whose member opted out meanwhile or whose round closed; sends it to a member who did not", () =>
    withHarness("unless-done", async (h) => {
      const sent: string[] = [];
      const recording: Notifier = {
        send: async (target) => {
          if (target.to.kind === "dm") sent.push(target.to.user);
          return {};
        },
      };
      await h.worker({ notifier: recording });
      await h.redis.set(h.store.keys.openRound(TENANT, "C1"), "2026-Q4");
      await h.store.setPrefs(TENANT, "UOUT", { optedOut: true });
      await h.store.setPrefs(TENANT, "UZONE", { timezone: "Europe/Berlin" });
      const nudge = (user: string, round: string) =>
        deliverLater(h.deps, `nudge|${TENANT}|C1|${round}|${user}`, {
          kind: "nudge",
          target: { platform: "slack", tenant: TENANT, to: { kind: "dm", user } },
          reply: encodeReply(reply(`Hello ${user}`)),
          label: `a direct message to ${user}`,
          unlessDone: { teamId: "C1", round, userId: user },
        });
      await nudge("UOUT", "2026-Q4");
      await nudge("UZONE", "2026-Q4");
      await nudge("UPLAIN", "2026-Q4");
      await nudge("ULATE", "2026-Q3");
      await h.until("two nudges", () => sent.length === 2);
      await h.settle();
      expect(sent.sort()).toEqual(["UPLAIN", "UZONE"]);
      expect(await h.store.deliveries.noticesOf(TENANT, "C1", "2026-Q4", "nudge")).toEqual({
        UPLAIN: 1,
        UZONE: 1,
      });
    }));

  it("keeps a conversation's pace: a second message to the same member waits about a second", () =>
    withHarness("pace", async (h) => {
      const at: number[] = [];
      const timing: Notifier = {
        send: async () => {
          at.push(Date.now());
          return {};
        },
      };
      await h.worker({ notifier: timing });
      await Promise.all([dm(h, "UPACE", 1), dm(h, "UPACE", 2)]);
      await h.until("both messages", () => at.length === 2);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
    }));
});
