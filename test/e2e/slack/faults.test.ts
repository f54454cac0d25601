import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";
import type { RunningApp } from "../../support/app.js";
import { blockKitProblems, messageProblems } from "../../support/block-kit.js";
import { TestClock } from "../../support/clock.js";
import {
  BOT_TOKEN,
  FakeSlack,
  findButton,
  SIGNING_SECRET,
  type SlackSender,
  sign,
  startSlackApp,
} from "../../support/fake-slack.js";

/** Signature checks, slow and failing Web API calls, rate limits: what Slack and the network do to the app. */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.channels.set("CFAULT", ["ULEAD", "UBOT"]);
  ({ app, slack } = await startSlackApp("slack-faults", fake, { clock: new TestClock() }));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const question = (text: string) => ({
  type: "message",
  channel_type: "im",
  channel: "DULEAD",
  user: "ULEAD",
  text,
  ts: "1700000300.000100",
  event_ts: "1700000300.000100",
});

describe("Slack: request verification", () => {
  it("rejects a bad signature with 401 and does nothing", async () => {
    fake.reset();
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      event_id: "EvBAD",
      event: question("hello"),
    });
    const res = await slack.post(body, "application/json", {
      signature: sign("not-the-secret", Math.floor(Date.now() / 1000), body),
    });
    expect(res.status).toBe(401);
    expect(fake.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });

  it("rejects a correctly signed request older than 5 minutes with 401", async () => {
    fake.reset();
    const form =
      "command=%2Fmaturity&text=help&team_id=T1&user_id=ULEAD&channel_id=CFAULT&response_url=x&trigger_id=t";
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await slack.post(form, "application/x-www-form-urlencoded", {
      timestamp: old,
      signature: sign(SIGNING_SECRET, old, form),
    });
    expect(res.status).toBe(401);
    expect(fake.responses).toEqual([]);
  });

  it("rejects a request without a signature, and anything but POST on the events URL", async () => {
    const res = await fetch(`${app.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect((await fetch(`${app.url}/slack/events`)).status).toBe(405);
  });

  it("answers Slack's URL verification challenge", async () => {
    const res = await slack.post(
      JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" }),
      "application/json",
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain("abc123");
  });
});

describe("Slack: Web API faults", () => {
  it("acknowledges within Slack's 3 s while a slow Web API call finishes in the background", async () => {
    fake.reset();
    fake.fail("chat.postMessage", { delayMs: 3500 });
    const res = await slack.event(question("what does level 4 mean?"));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2900);
    console.log(`slack ack with a 3.5 s Web API call pending: ${res.ms.toFixed(0)} ms`);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1); // sent, still waiting for its answer
    await app.slack!.idle();
    await fake.waitFor(() => fake.messagesIn("DULEAD").length === 1);
  });

  it("retries a rate-limited call after its Retry-After", async () => {
    fake.reset();
    fake.fail("chat.postMessage", { retryAfter: 1 });
    const started = Date.now();
    const res = await slack.event(question("how long does level 1 to 2 take?"));
    expect(res.status).toBe(200);
    await app.slack!.idle();
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.lastMessageIn("DULEAD")!.text).toContain("3-6 months");
  });

  it("explains privately when the direct message cannot be opened", async () => {
    expect((await slack.command("ULEAD", "CFAULT", "setup")).status).toBe(200);
    fake.reset();
    fake.fail("conversations.open", { error: "missing_scope" });
    await slack.command("ULEAD", "CFAULT", "assess");
    const notes = fake.responses.map((r) => r.body);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.response_type === "ephemeral")).toBe(true);
    expect(notes.at(-1).text).toContain("I couldn't send you a direct message");
    expect(notes.at(-1).text).toContain("missing_scope");
    for (const n of notes) expect(messageProblems(n)).toEqual([]);
  });

  it("says how to invite the bot when it is not in the channel", async () => {
    fake.reset();
    await slack.command("ULEAD", "CSECRET", "setup");
    const note = fake.responses.at(-1)!.body;
    expect(note.response_type).toBe("ephemeral");
    expect(note.text).toContain("I'm not in this channel yet");
    expect(await app.store.getTeam("T1", "CSECRET")).toBeUndefined();
  });

  it("explains when Slack refuses a reply in a channel", async () => {
    fake.reset();
    fake.fail("chat.postMessage", { error: "not_in_channel" });
    await slack.event({
      type: "app_mention",
      user: "ULEAD",
      text: "<@UBOT> what does level 1 mean?",
      ts: "1.2",
      channel: "CFAULT",
      event_ts: "1.2",
    });
    const ephemeral = fake.callsOf("chat.postEphemeral").at(-1)!.args;
    expect(ephemeral.user).toBe("ULEAD");
    expect(ephemeral.text).toContain("/invite @maturity-bot");
  });

  it("logs failed calls with method and error code, never a token or the signing secret", async () => {
    const lines: string[] = [];
    const err = process.stderr.write.bind(process.stderr);
    const out = process.stdout.write.bind(process.stdout);
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    let logged: Awaited<ReturnType<typeof startSlackApp>> | undefined;
    process.stderr.write = capture as typeof process.stderr.write;
    process.stdout.write = capture as typeof process.stdout.write;
    try {
      logged = await startSlackApp("slack-logs", fake, { logger: createLogger("debug") });
      fake.fail("chat.postMessage", { error: "invalid_auth" });
      await logged.slack.event(question("what does level 5 mean?"));
      await logged.app.slack!.idle();
    } finally {
      process.stderr.write = err;
      process.stdout.write = out;
      await logged?.app.stop();
    }
    const log = lines.join("");
    expect(log).toContain('"method":"chat.postMessage"');
    expect(log).toContain('"code":"invalid_auth"');
    expect(log).not.toContain(BOT_TOKEN);
    expect(log).not.toContain(SIGNING_SECRET);
  });
});

describe("Slack: when the clicked question cannot be updated", () => {
  /** A member of a team of their own, at question 1 of the assessment in their direct message. */
  async function atQuestionOne(user: string) {
    await slack.registerTeam(`C${user.slice(1)}`, [user]);
    expect((await slack.command(user, `C${user.slice(1)}`, "assess")).status).toBe(200);
    const question = fake.lastMessageIn(`D${user}`)!;
    expect(question.text).toMatch(/^Question 1\/8/);
    return question;
  }

  it.each([
    ["message_not_found", "UGONEMSG"],
    ["cant_update_message", "UCANTUPD"],
    ["edit_window_closed", "UOLDMSG"],
    ["internal_error", "USLACKERR"],
  ])(
    "chat.update failing with %s: the next question arrives as a new message, and it works",
    async (code, user) => {
      const question = await atQuestionOne(user);
      fake.reset();
      fake.fail("chat.update", { error: code });
      const level3 = findButton(question.blocks, (b) => b.text.text === "Level 3");
      expect((await slack.click(user, question, level3)).status).toBe(200);
      expect(fake.callsOf("chat.update")).toHaveLength(1);
      const posts = fake.callsOf("chat.postMessage");
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args.channel).toBe(`D${user}`);
      const next = fake.lastMessageIn(`D${user}`)!;
      expect(next.ts).not.toBe(question.ts);
      expect(next.text).toMatch(/^Question 2\/8/);
      expect(fake.responses).toEqual([]); // no error note: the member simply goes on
      // The new message's buttons carry on, updating it in place.
      fake.reset();
      await slack.click(
        user,
        next,
        findButton(next.blocks, (b) => b.text.text === "Level 2"),
      );
      expect(fake.callsOf("chat.update")).toHaveLength(1);
      expect(fake.lastMessageIn(`D${user}`)!.text).toMatch(/^Question 3\/8/);
      const round = (await app.store.openRoundOf("T1", `C${user.slice(1)}`))!.id;
      expect(
        Object.values((await app.store.getSession("T1", `C${user.slice(1)}`, round, user))!.answers),
      ).toEqual([3, 2]);
    },
  );

  it("tells the member privately when neither the update nor a new message gets through", async () => {
    const question = await atQuestionOne("UNOWAY");
    fake.reset();
    fake.fail("chat.update", { error: "message_not_found" });
    fake.fail("chat.postMessage", { error: "internal_error" });
    await slack.click(
      "UNOWAY",
      question,
      findButton(question.blocks, (b) => b.text.text === "Level 3"),
    );
    const notes = fake.responses.map((r) => r.body);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(notes[0].text).toContain("I couldn't send you a direct message");
    expect(fake.lastMessageIn("DUNOWAY")!.text).toMatch(/^Question 1\/8/);
  });
});

describe("Slack: what was sent", () => {
  it("sent only payloads within Block Kit's limits", () => {
    const sent = fake.payloads();
    // Not a vacuous pass: this file's scenarios sent messages, updates and App Home views.
    expect(sent.length).toBeGreaterThan(5);
    expect(new Set(sent.map((p) => p.surface))).toEqual(new Set(["message", "view"]));
    for (const { where, surface, payload } of sent) {
      const problems =
        surface === "view" ? blockKitProblems(payload.blocks, "view") : messageProblems(payload);
      expect(problems, where).toEqual([]);
    }
  });
});
