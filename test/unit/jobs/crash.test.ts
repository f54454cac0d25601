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

/** A worker that dies in the middle of a job: another worker finishes it, and the message goes out once. */

let h: JobsHarness;
beforeAll(async () => {
  h = await jobsHarness("crash");
});
afterAll(async () => {
  await h?.close();
});

describe("a worker killed mid-job", () => {
  it("hands its delivery to another worker after the lock runs out; the channel gets it once", async () => {
    let started = 0;
    // The dying worker's Slack call never returns: the process is gone.
    const hanging: Notifier = {
      send: () => {
        started++;
        return new Promise(() => undefined);
      },
    };
    const dying = await h.worker({ notifier: hanging, lockDuration: 800, stalledInterval: 400 });
    await deliverLater(h.deps, "summary|T-crash|C1|2026-Q4", {
      kind: "summary",
      target: { platform: "slack", tenant: "T-crash", to: { kind: "channel", channel: "C1" } },
      reply: encodeReply(reply("2026-Q4 closed: #c1 is level 3.")),
      label: "#c1",
    });
    await h.until("the dying worker to take the job", () => started === 1);
    await dying.close(true);
    await h.worker({ lockDuration: 800, stalledInterval: 400 });
    await h.until("the other worker to send it", () => h.notifier.inChannel("C1").length > 0, 15_000);
    await h.settle();
    expect(h.notifier.inChannel("C1")).toHaveLength(1);
    expect(h.notifier.inChannel("C1")[0]!.reply.text).toBe("2026-Q4 closed: #c1 is level 3.");
    // Added again (a drain handling its outbox entry twice): the job id says it is done.
    await deliverLater(h.deps, "summary|T-crash|C1|2026-Q4", {
      kind: "summary",
      target: { platform: "slack", tenant: "T-crash", to: { kind: "channel", channel: "C1" } },
      reply: encodeReply(reply("2026-Q4 closed: #c1 is level 3.")),
      label: "#c1",
    });
    await h.settle();
    expect(h.notifier.inChannel("C1")).toHaveLength(1);
  });
});

describe("deliveries against a Slack API that answers 429 and 500 in bursts", () => {
  it("delivers every nudge once within the retry policy, and dead-letters what never succeeds", async () => {
    const fake = await FakeSlack.start();
    // A harness of its own: no other worker (with another notifier) may take these jobs.
    const h = await jobsHarness("bursts");
    try {
      const slack = new SlackNotifier(
        slackClients({ token: "xoxb-bursts" }, { slackApiUrl: fake.apiUrl }),
        silentLogger,
        new Metrics(),
      );
      await h.worker({ notifier: slack });
      fake.fail("chat.postMessage", { retryAfter: 1, times: 3 });
      fake.fail("conversations.open", { status: 500, times: 2 });
      const users = ["U1", "U2", "U3", "U4", "U5"];
      for (const user of users) {
        await deliverLater(h.deps, `nudge|T-burst|C2|2026-Q4|${user}`, {
          kind: "nudge",
          target: { platform: "slack", tenant: "T-burst", to: { kind: "dm", user } },
          reply: encodeReply(reply(`Hello ${user}, the check-in is open.`)),
          label: `a direct message to ${user}`,
        });
      }
      await h.until("every nudge", () => users.every((u) => fake.messagesIn(`D${u}`).length > 0), 20_000);
      await h.settle();
      for (const u of users) expect(fake.messagesIn(`D${u}`), u).toHaveLength(1);
      expect(fake.callsOf("chat.postMessage").length).toBe(users.length + 3);

      // A channel that is gone: permanent, not retried, a dead letter.
      fake.fail("chat.postMessage", { error: "channel_not_found", times: 1 });
      await deliverLater(h.deps, "summary|T-burst|CGONE|2026-Q4", {
        kind: "summary",
        target: { platform: "slack", tenant: "T-burst", to: { kind: "channel", channel: "CGONE" } },
        reply: encodeReply(reply("closed")),
        label: "#gone",
      });
      await h.until("a dead letter", async () => (await h.store.deadLetters("T-burst")).length === 1);
      const [letter] = await h.store.deadLetters("T-burst");
      expect(letter).toMatchObject({ kind: "summary", to: "#gone", reason: "channel_not_found" });
      expect(fake.messagesIn("CGONE")).toHaveLength(0);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
