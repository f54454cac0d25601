import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseAssessmentAction } from "../../../../src/core/conversation/assessment-flow.js";
import type { Session } from "../../../../src/core/conversation/ports.js";
import type { Button, Reply } from "../../../../src/core/reply.js";
import { RedisStore } from "../../../../src/store/redis-store.js";
import {
  answerAll,
  button,
  buttons,
  channelDirectory,
  choices,
  click,
  command,
  engineHarness,
  event,
  type Harness,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** An assessment's buttons: starting twice, stale and forged clicks, lost races, results and the round it opens. */

let prefix: string;
let redis: Redis;
let h: Harness;
/** Set by a test: how the store's saves and reads of sessions misbehave. */
let failSaves = 0;
let saves = 0;
let reads = 0;
let onRead: ((s: Session | undefined) => Session | undefined) | undefined;

class RacingStore extends RedisStore {
  override async saveSession(session: Session, expected: number): Promise<boolean> {
    saves++;
    if (failSaves > 0) {
      failSaves--;
      return false;
    }
    return super.saveSession(session, expected);
  }
  override async getSession(...args: Parameters<RedisStore["getSession"]>) {
    reads++;
    const s = await super.getSession(...args);
    return onRead ? onRead(s) : s;
  }
}

const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d"],
  "C-PAIR": ["U-p", "U-q"],
});
const ML = { channel: "C-ML" };
const DM = { dm: true } as const;

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("assessment-flow");
  failSaves = 0;
  saves = 0;
  reads = 0;
  onRead = undefined;
  h = await engineHarness(redis, prefix, new RacingStore(redis, prefix));
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

const setupML = () => h.send(command("U-a", ML, "setup"), { directory });
const only = (replies: Reply[]): Reply => {
  expect(replies).toHaveLength(1);
  return replies[0]!;
};
const forged = (user: string, b: Button, change: Record<string, string | number | boolean>) =>
  click(user, { ...b, value: { ...b.value, ...change } });
const stored = (user: string) => h.store.getSession(TENANT, "C-ML", "2026-Q4", user);

describe("button values", () => {
  const base = { t: "C-ML", r: "2026-Q4" };
  it("an answer needs a level and a question; skip and back a question; restart and results neither", () => {
    expect(parseAssessmentAction({ action: "answer", q: "q1", ...base })).toBeUndefined();
    expect(parseAssessmentAction({ action: "answer", level: 2, ...base })).toBeUndefined();
    expect(parseAssessmentAction({ action: "skip", ...base })).toBeUndefined();
    expect(parseAssessmentAction({ action: "back", ...base })).toBeUndefined();
    expect(parseAssessmentAction({ action: "back", q: "", ...base })).toBeUndefined();
    expect(parseAssessmentAction({ action: "answer", level: 2, q: "q1", ...base })).toEqual({
      action: "answer",
      level: 2,
      q: "q1",
      ...base,
    });
    expect(parseAssessmentAction({ action: "skip", q: "q1", ...base })).toEqual({
      action: "skip",
      q: "q1",
      ...base,
    });
    expect(parseAssessmentAction({ action: "back", q: "q1", ...base })).toEqual({
      action: "back",
      q: "q1",
      ...base,
    });
    expect(parseAssessmentAction({ action: "restart", ...base })).toEqual({ action: "restart", ...base });
    expect(parseAssessmentAction({ action: "results", ...base })).toEqual({ action: "results", ...base });
    expect(parseAssessmentAction({ action: "restart", level: 2, ...base })).toEqual({
      action: "restart",
      level: 2,
      ...base,
    });
  });
});

describe("starting", () => {
  it("the first member's assess opens the round; the next member's opens nothing", async () => {
    await setupML();
    const first = await h.outcome(command("U-b", DM, "assess"));
    expect(first.effects).toEqual([
      { type: "round-opened", tenant: TENANT, teamId: "C-ML", round: "2026-Q4", by: "member" },
      { type: "assessment-started", tenant: TENANT, teamId: "C-ML", round: "2026-Q4", userId: "U-b" },
    ]);
    const second = await h.outcome(command("U-c", DM, "assess"));
    expect(second.effects).toEqual([
      { type: "assessment-started", tenant: TENANT, teamId: "C-ML", round: "2026-Q4", userId: "U-c" },
    ]);
    const resumed = await h.outcome(command("U-c", DM, "assess"));
    expect(resumed.effects).toEqual([]);
  });

  it("an assess after the round's quarter closes it and opens the next", async () => {
    await setupML();
    await h.send(command("U-b", DM, "assess"));
    h.clock.set("2027-01-20T10:00:00Z");
    const out = await h.outcome(command("U-b", DM, "assess"));
    expect(out.effects.map((e) => e.type)).toEqual(["round-closed", "round-opened", "assessment-started"]);
    expect(out.effects[0]).toMatchObject({
      type: "round-closed",
      tenant: TENANT,
      teamId: "C-ML",
      round: "2026-Q4",
    });
    expect(out.effects[0]).toHaveProperty("comparison");
    expect(out.effects[1]).toEqual({
      type: "round-opened",
      tenant: TENANT,
      teamId: "C-ML",
      round: "2027-Q1",
      by: "member",
    });
  });

  it("a second start button within 5 seconds is the same click; later it resumes", async () => {
    await setupML();
    const [full] = await h.send(
      event("U-b", DM, { type: "action", actionId: "a", value: { action: "assess" } }),
    );
    expect(full!.progress).toEqual({ current: 1, total: 8 });
    h.clock.set("2026-11-20T10:00:04.999Z");
    const quick = { type: "action", actionId: "b", value: { action: "assess", mode: "quick" } };
    expect(await h.send(event("U-b", DM, quick))).toEqual([]);
    // A typed command is never a double click.
    const [typed] = await h.send(command("U-b", DM, "assess"));
    expect(visible(typed!)).toContain("Welcome back: picking up at question 1 of 8.");
    h.clock.set("2026-11-20T10:00:05Z");
    const [resumed] = await h.send(
      event("U-b", DM, { type: "action", actionId: "c", value: { action: "assess", mode: "quick" } }),
    );
    expect(visible(resumed!)).toContain("Welcome back: picking up at question 1 of 8.");
  });

  it("a start button resumes at once once an answer is saved, even back at question 1", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const [q2] = await h.send(click("U-b", button(q1!, "Level 2")));
    const [back] = await h.send(click("U-b", button(q2!, "Back")));
    expect(back!.progress).toEqual({ current: 1, total: 8 });
    const [resumed] = await h.send(
      event("U-b", DM, { type: "action", actionId: "a", value: { action: "assess", mode: "full" } }),
    );
    expect(visible(resumed!)).toContain("Welcome back: picking up at question 1 of 8.");
  });

  it("in a channel, the channel is told privately and the question goes to a direct message", async () => {
    await setupML();
    const replies = await h.send(command("U-b", ML, "assess"));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatchObject({ private: true, to: { kind: "origin" } });
    expect(visible(replies[0]!)).toBe(
      "I've sent you a direct message with #c-ml's assessment. Your answers stay private.",
    );
    expect(replies[1]!.to).toEqual({ kind: "dm", user: "U-b" });
  });

  it("the intro is on the first question only", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const intro = q1!.blocks.find((b) => b.type === "markdown");
    expect(intro).toMatchObject({ type: "markdown" });
    expect((intro as { text: string }).text).toMatch(
      /^#c-ml · 2026-Q4 assessment \(8 questions\)\. One click per question; you can stop any time and pick up where you left off\.\n\n\*\*.+\*\*$/,
    );
    const [q2] = await h.send(click("U-b", button(q1!, "Level 2")));
    const md = q2!.blocks.filter((b) => b.type === "markdown").map((b) => (b as { text: string }).text);
    expect(md).toHaveLength(1);
    expect(md[0]).toMatch(/^\*\*[^*]+\*\*$/);
    expect(q2!.blocks[0]).toMatchObject({ type: "heading" });
    expect((q2!.blocks[0] as { text: string }).text).toMatch(/^Question 2\/8 · [A-Za-z]/);
    expect((q2!.blocks[0] as { text: string }).text).not.toContain("Assessment question");
  });

  it("a completed assessment with every question skipped offers to answer again without a score", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess", "quick"));
    let current = q1!;
    for (let i = 0; i < 3; i++) current = only(await h.send(click("U-b", button(current, "Skip"))));
    const [done] = await h.send(command("U-b", DM, "assess"));
    expect(visible(done!)).toBe(
      "You already completed #c-ml's assessment for **2026-Q4**. Answering again replaces your answers for this quarter.\n[Answer again] [See my result]",
    );
    expect(buttons(done!).map((b) => [b.id, b.value])).toEqual([
      ["restart", { action: "restart", t: "C-ML", r: "2026-Q4", mode: "full" }],
      ["results", { action: "results", t: "C-ML", r: "2026-Q4" }],
    ]);
  });
});

describe("results", () => {
  it("See my result shows the finished result, not as just finished", async () => {
    await setupML();
    const [q1] = await h.send(command("U-c", DM, "assess"));
    await answerAll(h, "U-c", q1!, [3, 4]);
    const [done] = await h.send(command("U-c", DM, "assess"));
    const r = only(await h.send(click("U-c", button(done!, "See my result"))));
    expect(r.blocks[0]).toEqual({ type: "heading", text: "Your 2026-Q4 result" });
    expect(r.replace).toBe(false);
    expect(r.to).toEqual({ kind: "dm", user: "U-c" });
    expect(visible(r)).toContain("Answered: 8 of 8");
  });

  it("See my result before finishing says there is none yet", async () => {
    await setupML();
    const [q1] = await h.send(command("U-c", DM, "assess"));
    const skip = button(q1!, "Skip");
    const value = { action: "results", t: skip.value.t!, r: skip.value.r! };
    const [r] = await h.send(click("U-c", { id: "results", label: "See my result", value }));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("There is no finished assessment to show yet.");
    const [none] = await h.send(click("U-d", { id: "results", label: "See my result", value }));
    expect(visible(none!)).toBe("There is no finished assessment to show yet.");
  });

  it("all answers equal: no weakest components to put first", async () => {
    await setupML();
    const [q1] = await h.send(command("U-c", DM, "assess"));
    const r = await answerAll(h, "U-c", q1!, [3]);
    expect(r.blocks[0]).toEqual({ type: "heading", text: "Done: your 2026-Q4 result" });
    expect(visible(r)).not.toContain("The roadmap puts the steps");
    const [q] = await h.send(command("U-d", DM, "assess"));
    const mixed = await answerAll(h, "U-d", q!, [1, 3, 3, 3, 3, 3, 3, 3]);
    expect(visible(mixed)).toMatch(/The roadmap puts the steps for \*\*[^*]+\*\* first\./);
  });

  it("tells a member of a team with open results that few answers can be worked out", async () => {
    const PAIR = { channel: "C-PAIR" };
    await h.send(command("U-p", PAIR, "setup"), { directory });
    const [q] = await h.send(command("U-q", DM, "assess", "quick"));
    const closed = await answerAll(h, "U-q", q!, [2]);
    expect(closed.blocks.at(-1)).toEqual({
      type: "context",
      text: "Only you see your answers; #c-pair sees the combined result once 3 members have answered.",
    });
    await h.send(command("U-p", PAIR, "results", "open"));
    const [q2] = await h.send(command("U-p", DM, "assess", "quick"));
    const open = await answerAll(h, "U-p", q2!, [2]);
    expect(open.blocks.at(-1)).toEqual({
      type: "context",
      text: "Only you see your answers; #c-pair sees the combined result once 3 members have answered (a lead opened the results: with fewer answers, members can work out each other's).",
    });
  });
});

describe("stale and forged clicks", () => {
  it("an answer for a member with no session in the open round says it is no longer open", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const [r] = await h.send(click("U-c", button(q1!, "Level 3")));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("That assessment is no longer open. Run `assess` to start again.");
  });

  it("a second Skip of the same question is already done", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const skip = button(q1!, "Skip");
    await h.send(click("U-b", skip));
    const [r] = await h.send(click("U-b", skip));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(
      "Already done: that question is no longer the current one. Your answers are saved.",
    );
    expect((await stored("U-b"))?.cursor).toBe(1);
  });

  it("an answer to a skipped question says it was skipped; to a later one, that it is not current", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const level1 = button(q1!, "Level 1");
    const [q2] = await h.send(click("U-b", button(q1!, "Skip")));
    const [skipped] = await h.send(click("U-b", level1));
    expect(visible(skipped!)).toMatch(
      /^Already answered: ".+" is saved as skipped\. Use Back to change it\.$/,
    );
    const later = choices(q2!)[0]!;
    const keys = (await stored("U-b"))!.keys;
    const [ahead] = await h.send(forged("U-b", later, { q: keys[5]! }));
    expect(ahead!.private).toBe(true);
    expect(visible(ahead!)).toBe(
      "That question is no longer the current one: your answers are saved. Run `assess` to continue.",
    );
    const [unknown] = await h.send(forged("U-b", later, { q: "no-such-question" }));
    expect(visible(unknown!)).toBe(
      "That question is no longer the current one: your answers are saved. Run `assess` to continue.",
    );
    expect((await stored("U-b"))?.answers).toEqual({ [keys[0]!]: null });
  });

  it("Back on the first question has nowhere to go", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const skip = button(q1!, "Skip");
    const [r] = await h.send(forged("U-b", skip, { action: "back" }));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("There is no earlier question to go back to.");
    expect((await stored("U-b"))?.version).toBe(1);
  });
});

describe("races", () => {
  it("a save lost three times in a row gives up after reading twice more", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    failSaves = 3;
    saves = 0;
    reads = 0;
    const [r] = await h.send(click("U-b", button(q1!, "Level 2")));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("Your answer collided with another one. Run `assess` to see where you are.");
    expect(saves).toBe(3);
    expect(reads).toBe(2);
    expect((await stored("U-b"))?.cursor).toBe(0);
  });

  it("a save lost once is retried on the fresh state and goes through", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    failSaves = 1;
    saves = 0;
    const [q2] = await h.send(click("U-b", button(q1!, "Level 2")));
    expect(q2!.progress).toEqual({ current: 2, total: 8 });
    expect(saves).toBe(2);
  });

  it("a race lost to a click that finished the assessment says it is finished", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    failSaves = 1;
    onRead = (s) => (s ? { ...s, status: "completed" } : s);
    const [r] = await h.send(click("U-b", button(q1!, "Level 2")));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("You've already finished this assessment.");
  });

  it("a race lost to a session that is gone says it is finished", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    failSaves = 1;
    onRead = () => undefined;
    const [r] = await h.send(click("U-b", button(q1!, "Level 2")));
    expect(visible(r!)).toBe("You've already finished this assessment.");
  });

  it("a race lost to a click that moved on says the question is no longer current", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    failSaves = 1;
    onRead = (s) => (s ? { ...s, cursor: 1, answers: { [s.keys[0]!]: 4 } } : s);
    const [r] = await h.send(click("U-b", button(q1!, "Skip")));
    expect(visible(r!)).toBe(
      "Already done: that question is no longer the current one. Your answers are saved.",
    );
  });
});
