import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, findButton, startSlackApp } from "../../support/fake-slack.js";
import { type Envelope, FakeSocketMode } from "../../support/fake-socket-mode.js";
import { cleanPrefix, connect } from "../../support/redis.js";

/**
 * Slack in Socket Mode (SLACK_APP_TOKEN): the real app connects out to a fake Socket Mode server, which
 * hands it a slash command, button clicks and a direct message as envelopes. Every envelope must be
 * acknowledged by its envelope_id, and the user's replies arrive at the fake Web API as over HTTP.
 */

const APP_TOKEN = "xapp-1-A1-socket-test";
const TEAM = "CSOCKET";
let fake: FakeSlack;
let socket: FakeSocketMode;
let app: RunningApp;
let stopped = false;

beforeAll(async () => {
  fake = await FakeSlack.start();
  socket = await FakeSocketMode.start(fake);
  fake.channels.set(TEAM, ["UANN", "UBEN", "UBOT"]);
  ({ app } = await startSlackApp("socket-mode", fake, {
    clock: new TestClock(),
    env: { SLACK_APP_TOKEN: APP_TOKEN },
  }));
}, 30_000);

afterAll(async () => {
  if (!stopped) await app?.stop();
  await socket?.close();
  await fake?.close();
});

/** Sends an envelope, waits for its ack and for the work the app does after it. */
async function deliver(envelope: Envelope, acks = 1): Promise<Envelope> {
  await socket.acked(envelope, acks);
  await app.slack!.idle();
  return envelope;
}

const dm = (user: string) => fake.lastMessageIn(`D${user}`)!;

describe("Slack Socket Mode", () => {
  it("connects out with the app-level token and serves no Slack HTTP route", async () => {
    const opens = fake.callsOf("apps.connections.open");
    expect(opens).toHaveLength(1);
    expect(opens[0]!.token).toBe(APP_TOKEN);
    expect(socket.open).toBe(true);
    expect(app.slack?.mode).toBe("socket");
    const res = await fetch(`${app.url}/slack/events`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });

  it("acknowledges a slash command envelope by its envelope_id and answers at its response_url", async () => {
    fake.reset();
    const setup = await deliver(socket.command("UANN", TEAM, "setup", { channelName: "sockets" }));
    expect(socket.acksOf(setup.envelope_id)).toHaveLength(1);
    const answer = fake.responses.at(-1)!.body;
    expect(answer.response_type).toBe("in_channel");
    expect(JSON.stringify(answer.blocks)).toContain("#sockets is now a team with 2 members");
    expect((await app.store.getTeam("T1", TEAM))?.leads).toEqual(["UANN"]);
  });

  it("starts an assessment in a direct message and takes a click on a level as an interactive envelope", async () => {
    const assess = await deliver(socket.command("UANN", TEAM, "assess"));
    expect(socket.acksOf(assess.envelope_id)).toHaveLength(1);
    const question = dm("UANN");
    expect(question.text).toMatch(/^Question 1\/8/);
    const click = await deliver(
      socket.click(
        "UANN",
        question,
        findButton(question.blocks, (b) => b.text.text === "Level 3"),
      ),
    );
    expect(socket.acksOf(click.envelope_id)).toHaveLength(1);
    expect(dm("UANN").ts).toBe(question.ts);
    expect(dm("UANN").text).toMatch(/^Question 2\/8/);
    const session = await app.store.getSession("T1", TEAM, "2026-Q4", "UANN");
    expect(Object.values(session!.answers)).toEqual([3]);
  });

  it("answers a direct message event in the direct message", async () => {
    fake.reset();
    const event = await deliver(
      socket.event({
        type: "message",
        channel_type: "im",
        channel: "DUBEN",
        user: "UBEN",
        text: "how long does level 2 to 3 take?",
        ts: "1700000900.000100",
        event_ts: "1700000900.000100",
      }),
    );
    expect(socket.acksOf(event.envelope_id)).toHaveLength(1);
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe("DUBEN");
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain("6-12 months");
  });

  it("processes an envelope delivered twice (retry_attempt 1) once, and acknowledges both", async () => {
    fake.reset();
    const question = dm("UANN");
    expect(question.text).toMatch(/^Question 2\/8/);
    const level = findButton(question.blocks, (b) => b.text.text === "Level 4");
    const envelopes = [
      socket.event({
        type: "message",
        channel_type: "im",
        channel: "DUBEN",
        user: "UBEN",
        text: "what does level 4 mean?",
        ts: "1700000901.000100",
        event_ts: "1700000901.000100",
      }),
      socket.click("UANN", question, level),
      socket.command("UBEN", TEAM, "status"),
    ];
    for (const envelope of envelopes) await deliver(socket.redeliver(envelope), 2);
    for (const envelope of envelopes)
      expect(socket.acksOf(envelope.envelope_id), envelope.type).toHaveLength(2);
    // One answer to the question, one answer saved, one status.
    expect(fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "DUBEN")).toHaveLength(1);
    expect(fake.callsOf("chat.update")).toHaveLength(1);
    expect(dm("UANN").text).toMatch(/^Question 3\/8/);
    const session = await app.store.getSession("T1", TEAM, "2026-Q4", "UANN");
    expect(Object.values(session!.answers)).toEqual([3, 4]);
    expect(fake.responses).toHaveLength(1);
    expect(JSON.stringify(fake.responses[0]!.body)).toContain("0 of 2 members completed");
  });

  it("acknowledges an interaction no listener takes (a shortcut, a select menu) instead of leaving Slack to retry it", async () => {
    fake.reset();
    const user = { id: "UBEN", username: "uben", team_id: "T1" };
    const ignored = [
      socket.send({
        type: "interactive",
        payload: { type: "shortcut", callback_id: "unknown", trigger_id: "t-1", user, team: { id: "T1" } },
        accepts_response_payload: false,
      }),
      socket.send({
        type: "interactive",
        payload: {
          type: "block_actions",
          user,
          team: { id: "T1" },
          trigger_id: "t-2",
          actions: [{ type: "static_select", action_id: "not one of ours!", action_ts: "1.2" }],
        },
        accepts_response_payload: false,
      }),
    ];
    for (const envelope of ignored) await socket.acked(envelope, 1, 2900);
    await new Promise((r) => setTimeout(r, 200));
    for (const envelope of ignored) expect(socket.acksOf(envelope.envelope_id)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });

  it("reconnects when Slack recycles the connection, and keeps serving on the new one", async () => {
    const before = socket.tickets.length;
    socket.disconnect();
    await fake.waitFor(() => socket.tickets.length === before + 1 && socket.open, 15_000);
    expect(fake.callsOf("apps.connections.open").length).toBeGreaterThanOrEqual(1);
    fake.reset();
    const help = await deliver(socket.command("UBEN", TEAM, "help"));
    expect(socket.acksOf(help.envelope_id)).toHaveLength(1);
    expect(JSON.stringify(fake.responses.at(-1)!.body)).toContain("/maturity setup");
  }, 20_000);

  it("stopping, closes its connection first, then finishes the work it acknowledged", async () => {
    fake.hold("chat.postMessage");
    const event = socket.event({
      type: "message",
      channel_type: "im",
      channel: "DUBEN",
      user: "UBEN",
      text: "what does level 5 mean?",
      ts: "1700000902.000100",
      event_ts: "1700000902.000100",
    });
    await socket.acked(event);
    await fake.waitFor(() => fake.held("chat.postMessage") === 1);
    stopped = true;
    const stopping = app.close();
    // No new envelope reaches a process that is going away: Slack hands them to another connection.
    await fake.waitFor(() => !socket.open, 3000);
    fake.release();
    await stopping;
    expect(fake.lastMessageIn("DUBEN")?.text).toMatch(/level 5/i);
    const redis = connect();
    await cleanPrefix(redis, app.prefix);
    await redis.quit();
  });
});
