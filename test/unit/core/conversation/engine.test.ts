import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NotInChannelError } from "../../../../src/core/conversation/context.js";
import type { ChatEventInput } from "../../../../src/core/conversation/events.js";
import type { Team } from "../../../../src/core/conversation/ports.js";
import { distinctLabels } from "../../../../src/core/conversation/views.js";
import { describeError, StorageUnavailableError } from "../../../../src/core/errors.js";
import type { Reply } from "../../../../src/core/reply.js";
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
  message,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** Each test's own key prefix and engine: every test sets up the teams and answers it reads. */
let prefix: string;
let redis: Redis;
let h: Harness;
const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d"],
  "C-PAIR": ["U-p", "U-q"],
  "C-BIG": ["U-a", "U-x1", "U-x2", "U-x3"],
});
const ML = { channel: "C-ML" };
const DM = { dm: true } as const;

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("engine");
  h = await engineHarness(redis, prefix);
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

/** Registers #c-ml: U-a runs setup and leads it; its members are U-a, U-b, U-c and U-d. */
const setupML = () => h.send(command("U-a", ML, "setup"), { directory });

/** A member's whole assessment, started in a direct message, answered with the levels given (cycled). */
async function assessed(user: string, levels: number[], mode: "" | "quick" = ""): Promise<Reply> {
  const first = (await h.send(command(user, DM, "assess", mode))).find((r) => r.progress);
  if (!first) throw new Error(`no question for ${user}`);
  return answerAll(h, user, first, levels);
}

/**
 * #c-ml's 2026-Q4 answers: U-a 3 throughout but question 2 skipped, U-c 4 throughout, and (unless told
 * not to) U-d 1 throughout: medians 3, 2.5, then 3 six times, a score of 2.9.
 */
async function mlAnswers(withD = true): Promise<void> {
  await setupML();
  const [q1] = await h.send(command("U-a", DM, "assess"));
  const [q2] = await h.send(click("U-a", button(q1!, "Level 3")));
  const [q3] = await h.send(click("U-a", button(q2!, "Skip")));
  await answerAll(h, "U-a", q3!, [3]);
  await assessed("U-c", [4]);
  if (withD) await assessed("U-d", [1]);
}

/** #c-big answered by U-x1…U-x3: everything at level 3 but model lifecycle (c3) at 1, a score of 2.8, level 2. */
async function bigTeam(): Promise<void> {
  await h.send(command("U-x1", { channel: "C-BIG" }, "setup"), { directory });
  for (const user of ["U-x1", "U-x2", "U-x3"]) {
    const replies = await h.send(command(user, { channel: "C-BIG" }, "assess"));
    let current = replies.find((r) => r.progress)!;
    while (choices(current).length > 0) {
      const key = choices(current)[0]!.value.q;
      [current] = (await h.send(
        click(user, button(current, key === "c3-lifecycle" ? "Level 1" : "Level 3")),
      )) as [typeof current];
    }
  }
}

describe("help and unknown input", () => {
  it("lists every command and offers to start", async () => {
    const [r] = await h.send(command("U-a", DM, "help"));
    for (const c of ["setup", "assess", "status", "roadmap", "ask", "lead"])
      expect(visible(r!)).toContain(`\`${c}`);
    expect(buttons(r!).map((b) => b.label)).toContain("Start my assessment");
    const [empty] = await h.send(command("U-a", DM, ""));
    expect(visible(empty!)).toContain("`assess`");
  });

  it("answers an unknown command privately and without echoing markup", async () => {
    const [r] = await h.send(command("U-a", ML, "<!channel>"));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toContain("I don't know the command");
    // Escaped for markdown: the platform renderer shows it as typed, never as a broadcast.
    expect(visible(r!)).toContain("`<!channel>`");
  });

  it("rejects malformed events with a clear message and changes nothing", async () => {
    for (const bad of [
      undefined,
      null,
      42,
      "text",
      {},
      { type: "command" },
      { ...command("U-a", DM, "help"), platform: "irc" },
    ]) {
      const [r] = await h.send(bad as ChatEventInput);
      expect(visible(r!)).toMatch(/couldn't read that request\. Nothing was changed/);
    }
  });

  it("answers stale, unknown and forged buttons kindly", async () => {
    for (const value of [
      undefined,
      "x",
      { action: "launch-missiles" },
      { action: "answer", level: 9, q: "q7", t: "C-ML", r: "2026-Q4" },
    ]) {
      const [r] = await h.send(event("U-a", DM, { type: "action", actionId: "answer-1", value }));
      expect(r!.private).toBe(true);
      expect(visible(r!)).toMatch(/older message|didn't carry a valid answer/);
    }
  });

  it("takes a second click of one button by one user as the same click; another user's click is their own", async () => {
    const more = {
      type: "action",
      actionId: "ask-0",
      value: { action: "ask", q: "what does level 2 mean?" },
    };
    const [first] = await h.send(event("U-a", DM, more));
    expect(visible(first!)).toMatch(/level 2/i);
    expect(await h.send(event("U-a", DM, more))).toEqual([]);
    expect(await h.send(event("U-b", DM, more))).toHaveLength(1);
    const other = { ...more, value: { ...more.value, q: "what does level 3 mean?" } };
    expect(await h.send(event("U-a", DM, other))).toHaveLength(1);
  });
});

describe("setup", () => {
  it("asks to be run in a channel", async () => {
    const [r] = await h.send(command("U-a", DM, "setup"), { directory });
    expect(visible(r!)).toContain("Run `setup` in your team's channel");
  });

  it("registers the channel as a team with its members, the caller as lead", async () => {
    const [r] = await h.send(command("U-a", ML, "setup"), { directory });
    expect(r!.private).toBeFalsy();
    expect(visible(r!)).toContain("is now a team with 4 members");
    const team = await h.store.getTeam("T-test", "C-ML");
    expect(team).toMatchObject({ leads: ["U-a"], members: ["U-a", "U-b", "U-c", "U-d"], timezone: "UTC" });
  });

  it("refreshes members when run again", async () => {
    await setupML();
    const [r] = await h.send(command("U-b", ML, "setup"), { directory });
    expect(r!.private).toBe(true);
    expect(visible(r!)).toContain("already a team");
  });

  it("explains what to do when the bot is not in the channel", async () => {
    const [r] = await h.send(command("U-a", { channel: "C-SECRET" }, "setup"), {
      directory: {
        channelMembers: async (c) => {
          throw new NotInChannelError(c);
        },
      },
    });
    expect(visible(r!)).toContain("I'm not in this channel yet");
    expect(await h.store.getTeam("T-test", "C-SECRET")).toBeUndefined();
  });

  it("says the platform failed, not storage, when the member list cannot be read", async () => {
    const failed = h.send(command("U-a", { channel: "C-FLAKY" }, "setup"), {
      directory: {
        channelMembers: async () => {
          throw new Error("ratelimited");
        },
      },
    });
    const error = await failed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeError(error)).toEqual({
      code: "platform_unavailable",
      message:
        "I couldn't read this channel's member list just now. Nothing was changed; please run `setup` again in a minute.",
      severe: true,
    });
    expect(await h.store.getTeam("T-test", "C-FLAKY")).toBeUndefined();
  });

  it("lets a lead add a lead, and only a lead", async () => {
    await setupML();
    const mentioning = (user: string) => ({
      ...command(user, ML, "lead", "@member-c"),
      mentions: [{ id: "U-c", name: "member-c" }],
    });
    const [denied] = await h.send(mentioning("U-b"));
    expect(visible(denied!)).toContain("Only a lead");
    const [nobody] = await h.send(command("U-a", ML, "lead", "<@U-c>"));
    expect(visible(nobody!)).toBe("Say who: `lead @someone`.");
    const [ok] = await h.send(mentioning("U-a"));
    expect(visible(ok!)).toContain("is now a lead");
    expect((await h.store.getTeam("T-test", "C-ML"))?.leads).toEqual(["U-a", "U-c"]);
  });
});

describe("assess", () => {
  it("in a channel, opens the assessment in a DM and tells the channel privately", async () => {
    await setupML();
    const replies = await h.send(command("U-a", ML, "assess"));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatchObject({ private: true, to: { kind: "origin" } });
    const q = replies[1]!;
    expect(q.to).toEqual({ kind: "dm", user: "U-a" });
    expect(q.progress).toEqual({ current: 1, total: 8 });
    expect(choices(q).map((c) => c.label)).toEqual(["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]);
    for (const c of choices(q)) {
      expect(c.id.startsWith("answer")).toBe(true);
      expect(c.value).toMatchObject({ action: "answer", level: Number(c.label.slice(-1)) });
    }
    expect(buttons(q).map((b) => b.label)).toContain("Skip");
    expect(buttons(q).map((b) => b.label)).not.toContain("Back");
  });

  it("moves through questions in place, with back and skip", async () => {
    await setupML();
    await h.send(command("U-a", ML, "assess"));
    const [q1] = await h.send(command("U-a", DM, "assess"));
    expect(visible(q1!)).toContain("Welcome back");
    const [q2] = await h.send(click("U-a", button(q1!, "Level 2")));
    expect(q2).toMatchObject({ replace: true, progress: { current: 2, total: 8 } });
    const [back] = await h.send(click("U-a", button(q2!, "Back")));
    expect(back!.progress).toEqual({ current: 1, total: 8 });
    expect(choices(back!).find((c) => c.label === "Level 2")).toMatchObject({
      note: "your answer",
      style: "primary",
    });
    const [again2] = await h.send(click("U-a", button(back!, "Level 3")));
    const [q3] = await h.send(click("U-a", button(again2!, "Skip")));
    expect(q3!.progress).toEqual({ current: 3, total: 8 });
    const result = await answerAll(h, "U-a", q3!, [3]);
    expect(visible(result)).toContain("Answered: 7 of 8");
    expect(visible(result)).toMatch(/Score: 3\.0/);
  });

  it("gives a stale answer a friendly reply and keeps the first of a double click", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const levelFour = button(q1!, "Level 4");
    const [first, second] = await Promise.all([
      h.send(click("U-b", levelFour)),
      h.send(click("U-b", button(q1!, "Level 1"))),
    ]);
    const texts = [first![0]!, second![0]!];
    const moved = texts.filter((r) => r.progress?.current === 2);
    const refused = texts.filter((r) => r.private);
    expect(moved).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(visible(refused[0]!)).toMatch(
      /Already answered: .* saved as Level [14]\. Use Back to change it\./,
    );
    const stored = await h.store.getSession("T-test", "C-ML", "2026-Q4", "U-b");
    expect(Object.keys(stored!.answers)).toHaveLength(1);
  });

  it("every question at level 3 gives 3.0, level 3, developing; quick 4, 4, 3 gives 3.7, level 4", async () => {
    await setupML();
    const full = await assessed("U-c", [3]);
    expect(visible(full)).toMatch(/Score: 3\.0\nLevel: 3 · Defined \/ Emerging\nBand: developing/);
    const [quick] = await h.send(command("U-p", { channel: "C-PAIR" }, "setup"), { directory });
    expect(visible(quick!)).toContain("2 members");
    const [qq] = (await h.send(command("U-p", DM, "assess", "quick"))).filter((r) => r.progress);
    expect(qq!.progress).toEqual({ current: 1, total: 3 });
    const quickResult = await answerAll(h, "U-p", qq!, [4, 4, 3]);
    expect(visible(quickResult)).toMatch(/Score: 3\.7\nLevel: 4 · Managed \/ Performing/);
  });

  it("offers to answer again after completing, and replaces the earlier answers", async () => {
    await setupML();
    await assessed("U-c", [3]);
    const [done] = await h.send(command("U-c", DM, "assess"));
    expect(visible(done!)).toContain("You already completed");
    const [q1] = await h.send(click("U-c", button(done!, "Answer again")));
    expect(q1!.progress).toEqual({ current: 1, total: 8 });
    const result = await answerAll(h, "U-c", q1!, [4]);
    expect(visible(result)).toContain("Score: 4.0");
  });
});

describe("status and privacy", () => {
  it("hides the team result until 3 members completed, then shows aggregates only", async () => {
    await mlAnswers(false);
    const [hidden] = await h.send(command("U-d", ML, "status"));
    expect(visible(hidden!)).toMatch(/2 of 4 members completed.*once 3 members have/s);
    await assessed("U-d", [1]);
    const [shown] = await h.send(command("U-d", ML, "status"));
    const text = visible(shown!);
    // Completed (see mlAnswers): U-a 3 with question 2 skipped, U-c 4, U-d 1: medians 3 on 7 questions -> 3.0.
    // Question 2 had two answers (4 and 1): its median would tell each of the two the other's answer.
    expect(text).toMatch(/Level: 3 · Defined \/ Emerging\nScore: 3\.0\nBand: developing/);
    expect(text).toContain("Respondents: 3 of 4");
    expect(text).toContain(
      "One question is left out: fewer than 3 members answered it, and their answers stay private.",
    );
    expect(text).toContain(
      "**Why level 3:** The score 3.0 reaches the 3.0 that level 3 needs; level 4 needs 3.5 (0.5 more).",
    );
    expect(text).toContain("Worth discussing");
    expect(text).toMatch(/Estimate: about 63% of organisations/);
    // The channel never sees who answered what.
    expect(text).not.toMatch(/U-[abcd]/);
    expect(text).not.toContain("Your own result");
  });

  it("skipping every question gives no score and makes no respondent: two members' answers stay hidden", async () => {
    await setupML();
    await assessed("U-a", [2]);
    await assessed("U-b", [4]);
    const [q1] = await h.send(command("U-c", DM, "assess"));
    let current = q1!;
    for (let i = 0; i < 8; i++) [current] = (await h.send(click("U-c", button(current, "Skip")))) as [Reply];
    expect(visible(current)).toBe(
      "You skipped every question, so there is no score. Run `assess` to answer again.",
    );
    expect((await h.store.getSession("T-test", "C-ML", "2026-Q4", "U-c"))?.status).toBe("completed");
    // Three finished, two with answers: the channel must not see a result each of the two could read the other's from.
    const [channel] = await h.send(command("U-d", ML, "status"));
    expect(visible(channel!)).toMatch(/2 of 4 members completed.*once 3 members have/s);
    expect(visible(channel!)).not.toMatch(/Level:|Score:|Worth discussing/);
    const [own] = await h.send(command("U-c", DM, "status"));
    expect(visible(own!)).toContain(
      "You skipped every question this round, so you have no result of your own. `assess` lets you answer again.",
    );
    expect(visible(own!)).not.toContain("in progress");
  });

  it("shows a member their own result in a DM only", async () => {
    await setupML();
    await assessed("U-d", [1]);
    const [r] = await h.send(command("U-d", DM, "status"));
    expect(visible(r!)).toContain("Your own result (only you see it): 1.0, level 1");
  });

  it("a pair sees participation only, unless its lead opens the results", async () => {
    const PAIR = { channel: "C-PAIR" };
    await h.send(command("U-p", PAIR, "setup"), { directory });
    await assessed("U-p", [4, 4, 3], "quick");
    await assessed("U-q", [2], "quick");
    const [hidden] = await h.send(command("U-q", PAIR, "status"));
    const text = visible(hidden!);
    expect(text).toContain("2 of 2 members completed");
    expect(text).toContain("participation only");
    // Neither member can read the other's answers: no level, score, component or disagreement.
    expect(text).not.toMatch(/Level:|Score:|Component|Worth discussing|Estimate/);
    const [refused] = await h.send(command("U-q", PAIR, "results", "open"));
    expect(visible(refused!)).toContain("Only a lead");
    const [opened] = await h.send(command("U-p", PAIR, "results", "open"));
    expect(visible(opened!)).toContain("open results");
    const [r] = await h.send(command("U-q", PAIR, "status"));
    expect(visible(r!)).toContain("Respondents: 2 of 2");
    // Quick answers (4, 4, 3) and (2, 2, 2): medians 3, 3, 2.5.
    expect(visible(r!)).toMatch(/Level: 2 · Developing \/ Experimenting\nScore: 2\.8/);
    await h.send(command("U-p", PAIR, "results", "private"));
    const [closedAgain] = await h.send(command("U-q", PAIR, "status"));
    expect(visible(closedAgain!)).toContain("participation only");
  });
});

describe("next quarter", () => {
  it("offers last quarter's answer with a one-click keep, and shows the trend", async () => {
    await mlAnswers();
    h.clock.set("2027-01-15T10:00:00Z");
    const [q1] = await h.send(command("U-a", DM, "assess"));
    // Last quarter U-a answered question 1 with Level 3.
    expect(visible(q1!)).toContain("Last quarter you answered Level 3: still true?");
    const keep = button(q1!, "Keep Level 3");
    expect(keep.value).toMatchObject({ action: "answer", level: 3, keep: true });
    expect(choices(q1!).find((c) => c.label === "Level 3")?.note).toBe("last quarter");
    const [q2] = await h.send(click("U-a", keep));
    expect(q2!.progress?.current).toBe(2);
    const stale = await h.send(
      click("U-b", {
        id: "answer-1",
        label: "Level 1",
        value: { action: "answer", level: 1, q: "q8-automation", t: "C-ML", r: "2026-Q4" },
      }),
    );
    expect(visible(stale[0]!)).toContain("a round that has closed");
    for (const user of ["U-a", "U-b", "U-c"]) {
      const [first] = await h.send(command(user, DM, "assess"));
      await answerAll(h, user, first!, [4]);
    }
    const [status] = await h.send(command("U-a", ML, "status"));
    expect(visible(status!)).toMatch(/\*\*Trend:\*\* 2026-Q4 3\.0 \(L3\) → 2027-Q1 4\.0 \(L4\)/);
    const closed = await h.store.getRound("T-test", "C-ML", "2026-Q4");
    expect(closed).toMatchObject({
      closedBy: "deadline",
      result: { visible: true, level: 3, score: 3, respondents: 3 },
    });
  });
});

describe("roadmap and ask", () => {
  it("roadmap with a level gives that step", async () => {
    const [r] = await h.send(command("U-a", DM, "roadmap", "2"));
    expect(visible(r!)).toContain("**Level 2 → 3** takes **6-12 months**");
    expect(visible(r!)).toMatch(/Sources?: Technology & Operations guide, level 2 → 3 roadmap/);
    expect(visible(r!)).not.toContain("knowledge/tech-ops/");
    const [bad] = await h.send(command("U-a", DM, "roadmap", "eleven"));
    expect(visible(bad!)).toContain("takes a level from 1 to 5");
  });

  it("roadmap without a level uses the team's level and its weakest components first", async () => {
    await bigTeam();
    const [r] = await h.send(command("U-x1", { channel: "C-BIG" }, "roadmap"));
    const text = visible(r!);
    expect(text).toMatch(/^\*\*Start with Model lifecycle management\*\*/);
    expect(text).toContain("**Level 2 → 3** takes **6-12 months**");
    expect(text.indexOf("lineage")).toBeLessThan(text.indexOf("takes **6-12 months**"));
  });

  it("ask knows the asker's team level", async () => {
    await bigTeam();
    const [r] = await h.send(command("U-x2", { channel: "C-BIG" }, "ask", "what should we do next?"));
    expect(visible(r!)).toContain("(level 2): **Level 2 → 3**");
    const [dm] = await h.send(message("U-x2", DM, "what are our next steps?"));
    expect(visible(dm!)).toContain("(level 2)");
  });

  it("free text is a command word or a question; follow-ups are buttons", async () => {
    const [help] = await h.send(message("U-z", DM, "hi!"));
    expect(visible(help!)).toContain("`assess`");
    const [answer] = await h.send(message("U-z", DM, "how long does level 1 to 2 take?"));
    expect(visible(answer!)).toContain("3-6 months");
    const more = button(answer!, "Full checklist");
    const [checklist] = await h.send(click("U-z", more));
    expect(visible(checklist!)).toContain("Checklist");
    const [unknown] = await h.send(message("U-z", DM, "what is the capital of France"));
    expect(visible(unknown!)).toMatch(/^(?:I don't know|The guides don't)/);
    const [threaded] = await h.send(
      event("U-z", ML, {
        type: "message",
        text: "what is a canary deployment",
        mention: true,
        inThread: true,
      }),
    );
    expect(threaded!.inThread).toBe(true);
  });

  it("a long answer ends at a whole sentence and its More button gives the rest", async () => {
    const [first] = await h.send(command("U-a", DM, "roadmap", "2"));
    const text = visible(first!);
    const more = button(first!, "More");
    expect(more.value).toMatchObject({ action: "ask", more: 2 });
    const [rest] = await h.send(click("U-a", more));
    const restText = visible(rest!);
    expect(restText).not.toBe(text);
    expect(restText).toMatch(/Sources?: Technology & Operations guide, level 2 → 3 roadmap/);
  });

  it("a mistyped command gets a did-you-mean", async () => {
    const [r] = await h.send(message("U-z", DM, "asses"));
    expect(visible(r!)).toContain("Did you mean `assess`?");
    const [c] = await h.send(command("U-z", DM, "staus", ""));
    expect(visible(c!)).toContain("Did you mean `status`?");
  });

  it("not being in a team is explained", async () => {
    const [r] = await h.send(command("U-lonely", DM, "assess"));
    expect(visible(r!)).toContain("You're not in a team yet");
    const [s] = await h.send(command("U-lonely", { channel: "C-NEW" }, "status"));
    expect(visible(s!)).toContain("This channel isn't a team yet");
  });
});

describe("collisions", () => {
  it("two teams with the same channel name keep their members, answers and results apart", async () => {
    const same = channelDirectory({
      "C-ML1": ["U-both", "U-1a", "U-1b"],
      "C-ML2": ["U-both", "U-2a", "U-2b"],
    });
    /** An event in channel `id`, whose name is "ml" for both channels (a renamed channel, a Teams channel name). */
    const inMl = (id: string, input: ChatEventInput) =>
      ({ ...input, channel: { id, kind: "channel", name: "ml" } }) as ChatEventInput;
    for (const [id, day] of [
      ["C-ML1", "2026-11-20"],
      ["C-ML2", "2026-11-21"],
    ]) {
      h.clock.set(`${day}T10:00:00Z`);
      const [r] = await h.send(inMl(id!, command("U-both", ML, "setup")), { directory: same });
      expect(visible(r!)).toContain("#ml is now a team with 3 members");
    }
    for (const user of ["U-1a", "U-1b"]) await assessed(user, [2]);
    await assessed("U-2a", [5]);
    // U-both is asked which #ml; each button names its own team.
    const [pick] = await h.send(command("U-both", DM, "assess"));
    expect(visible(pick!)).toContain("You're in 2 teams. Which one?");
    const picks = buttons(pick!);
    expect(picks.map((b) => b.value.t).sort()).toEqual(["C-ML1", "C-ML2"]);
    expect(picks.map((b) => [b.label, b.value.t])).toEqual([
      ["#ml (set up 2026-11-20)", "C-ML1"],
      ["#ml (set up 2026-11-21)", "C-ML2"],
    ]);
    const first = (await h.send(click("U-both", picks.find((b) => b.value.t === "C-ML1")!))).find(
      (r) => r.progress,
    )!;
    await answerAll(h, "U-both", first, [2]);

    const [one] = await h.send(inMl("C-ML1", command("U-1a", ML, "status")));
    expect(visible(one!)).toContain("Respondents: 3 of 3");
    expect(visible(one!)).toMatch(/Level: 2 · /);
    const [two] = await h.send(inMl("C-ML2", command("U-2a", ML, "status")));
    expect(visible(two!)).toMatch(/1 of 3 members completed.*once 3 members have/s);
    expect(visible(two!)).not.toMatch(/Level:|Score:/);
    expect((await h.store.getTeam("T-test", "C-ML1"))?.members.sort()).toEqual(["U-1a", "U-1b", "U-both"]);
    expect((await h.store.getTeam("T-test", "C-ML2"))?.members.sort()).toEqual(["U-2a", "U-2b", "U-both"]);
  });

  it("tells apart teams of the same name set up on the same day by their ids", () => {
    const team = (id: string, name: string) => ({ id, name, createdAt: "2026-11-20T10:00:00.000Z" }) as Team;
    expect(distinctLabels([team("C1", "ml"), team("C2", "ml"), team("C3", "data")])).toEqual([
      "#ml (C1)",
      "#ml (C2)",
      "#data",
    ]);
  });
});

describe("deliveries and outages", () => {
  it("processes a retried delivery once", async () => {
    const first = await h.send({ ...command("U-a", DM, "help"), deliveryId: "Ev-42" });
    const retry = await h.send({ ...command("U-a", DM, "help"), deliveryId: "Ev-42" });
    expect(first).toHaveLength(1);
    expect(retry).toEqual([]);
  });

  it("tells the user that nothing was lost when Redis cannot be reached", async () => {
    // A port nothing listens on: the real store, a real connection failure.
    const nowhere = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    nowhere.on("error", () => undefined);
    const broken = await engineHarness(nowhere, prefix);
    const error = await broken.send(command("U-a", ML, "status")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const view = describeError(error);
    expect(view.message).toContain("Nothing was lost: everything you answered before is saved");
    expect(view.severe).toBe(false);
    nowhere.disconnect();
  });

  it("shows a bug as an apology with a reference, never as a storage problem", async () => {
    const view = describeError(new TypeError("x is undefined"), "Ev-123");
    expect(view.message).toBe(
      "Sorry, something went wrong on my side and I couldn't finish that. It has been logged (reference Ev-123); please try again.",
    );
    expect(view.message).not.toMatch(/storage/);
    expect(view.severe).toBe(true);
  });
});
