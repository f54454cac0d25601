import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Directory } from "../../../../src/core/conversation/context.js";
import { newTurn } from "../../../../src/core/conversation/context.js";
import type { DeadLetter, Round, Team } from "../../../../src/core/conversation/ports.js";
import { roundCommand } from "../../../../src/core/conversation/round-commands.js";
import type { Reply } from "../../../../src/core/reply.js";
import { RedisStore } from "../../../../src/store/redis-store.js";
import {
  answerAll,
  button,
  channelDirectory,
  click,
  command,
  engineHarness,
  event,
  type Harness,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** The lead commands (rounds, schedule, digest, failures, results) and the members' nudge settings. */

let prefix: string;
let redis: Redis;
let h: Harness;
const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d"],
  "C-PAIR": ["U-p", "U-q"],
  "C-OTHER": ["U-a", "U-z"],
});
/** The same channels, and U-admin administers the workspace. */
const adminDirectory: Directory = { ...directory, isAdmin: async (user) => user === "U-admin" };
const ML = { channel: "C-ML" };
const OTHER = { channel: "C-OTHER" };
const DM = { dm: true } as const;
/** How a mention of U-a is written in a reply (adapters turn it into the platform's mention). */
const LEAD_A = "\uE000U-a\uE001";

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("round-commands");
  h = await engineHarness(redis, prefix);
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

/** #c-ml with lead U-a and members U-a…U-d. */
const setupML = () => h.send(command("U-a", ML, "setup"), { directory });

/** The single reply of a command, with its effects. */
async function only(input: Parameters<Harness["send"]>[0], options?: Parameters<Harness["send"]>[1]) {
  const outcome = await h.outcome(input, options);
  expect(outcome.replies).toHaveLength(1);
  return { reply: outcome.replies[0]!, text: visible(outcome.replies[0]!), effects: outcome.effects };
}

/** A member's quick assessment in a direct message, answered at level 3. */
async function quickAssess(user: string): Promise<Reply> {
  const first = (await h.send(command(user, DM, "assess", "quick"))).find((r) => r.progress);
  if (!first) throw new Error(`no question for ${user}`);
  return answerAll(h, user, first, [3]);
}

const QUARTER_DEADLINE = "Fri 4 Dec 2026, 10:00 (UTC)";

describe("who may run a lead command", () => {
  it("asks for the team's channel when run in a direct message", async () => {
    const r = await only(command("U-a", DM, "round", "start"));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe("Run `round start` in your team's channel (it needs a lead of the team).");
    expect(r.effects).toEqual([]);
  });

  it("says a channel that is not a team changes nothing", async () => {
    await setupML();
    const r = await only(command("U-a", OTHER, "close"));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe(
      "This channel isn't a team, so `close` does nothing here. Nothing was changed: run it in your team's channel, or `setup` here to register this one.",
    );
  });

  it("never takes a direct message for a team, even one stored under the same id", async () => {
    const team: Team = {
      id: "D-U-a",
      tenant: TENANT,
      platform: "playground",
      name: "dm",
      timezone: "UTC",
      leads: ["U-a"],
      members: ["U-a"],
      createdAt: "2026-11-01T00:00:00.000Z",
      createdBy: "U-a",
    };
    await h.store.createTeam(team);
    const r = await only(command("U-a", DM, "remind"));
    expect(r.text).toBe("Run `remind` in your team's channel (it needs a lead of the team).");
  });

  it("refuses a member who is not a lead, naming every lead, even with a directory that knows no admins", async () => {
    await setupML();
    const addLead = {
      ...command("U-a", ML, "lead", "@member-c"),
      mentions: [{ id: "U-c", name: "member-c" }],
    };
    await h.send(addLead);
    const r = await only(command("U-b", ML, "round", "start"), { directory });
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe(
      `Only a lead of #c-ml can do that (${LEAD_A}, \uE000U-c\uE001), or a workspace admin. Nothing was changed.`,
    );
    expect(r.effects).toEqual([]);
    expect(await h.store.openRoundOf(TENANT, "C-ML")).toBeUndefined();
  });

  it("lets a workspace admin act as a lead; an admin check that fails counts as no", async () => {
    await setupML();
    const opened = await only(command("U-admin", ML, "round", "start"), { directory: adminDirectory });
    expect(opened.text).toContain("Opened **2026-Q4** for #c-ml");
    const failing: Directory = { ...directory, isAdmin: () => Promise.reject(new Error("rate limited")) };
    const refused = await only(command("U-admin", ML, "close"), { directory: failing });
    expect(refused.text).toBe(
      `Only a lead of #c-ml can do that (${LEAD_A}), or a workspace admin. Nothing was changed.`,
    );
  });

  it("answers nothing for a command that is not a round command", async () => {
    const e = event("U-a", ML, { type: "command", name: "bogus", args: "" });
    const turn = newTurn(e as never, h.engine.deps);
    expect(await roundCommand(turn, "bogus", "")).toEqual([]);
  });
});

describe("usage hints", () => {
  it.each([
    ["round", "", "Did you mean `round start`? It opens a round now (leads only)."],
    ["round", "now", "Did you mean `round start`? It opens a round now (leads only)."],
    [
      "digest",
      "",
      "`digest here` sends this workspace's quarterly digest to this channel; `digest now` posts it now.",
    ],
    ["stop", "", "Did you mean `stop nudges`?"],
    ["start", "reminders", "Did you mean `start nudges`?"],
    [
      "results",
      "",
      "`results open` shows the team result to the channel even below 3 respondents (members are told it can reveal answers); `results private` goes back to participation only.",
    ],
    [
      "results",
      "reopen",
      "`results open` shows the team result to the channel even below 3 respondents (members are told it can reveal answers); `results private` goes back to participation only.",
    ],
    [
      "results",
      "not private",
      "`results open` shows the team result to the channel even below 3 respondents (members are told it can reveal answers); `results private` goes back to participation only.",
    ],
  ])("%s %s explains itself privately", async (name, args, expected) => {
    await setupML();
    const r = await only(command("U-a", ML, name, args));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe(expected);
    expect(r.effects).toEqual([]);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.resultsOpen).toBeUndefined();
  });

  it("shows Slack's command prefix in hints", async () => {
    const r = await only({ ...command("U-a", ML, "round"), platform: "slack" });
    expect(r.text).toBe("Did you mean `/maturity round start`? It opens a round now (leads only).");
  });
});

describe("results open and private", () => {
  it("opens and closes a team's results, telling the channel", async () => {
    await setupML();
    const opened = await only(command("U-a", ML, "results", "open"));
    expect(opened.reply.private).toBeUndefined();
    expect(opened.text).toBe(
      "#c-ml now has open results: the channel sees the team result even when fewer than 3 members answered. With 1 or 2 answers, members can work out each other's answers from it.",
    );
    expect(opened.effects).toEqual([
      { type: "team-changed", tenant: TENANT, teamId: "C-ML", what: "results" },
    ]);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.resultsOpen).toBe(true);

    for (const word of ["private", "close", "closed"]) {
      await h.send(command("U-a", ML, "results", "open"));
      const closed = await only(command("U-a", ML, "results", word));
      expect(closed.text).toBe(
        "#c-ml's results are private again: the channel sees the team result only once 3 members answered.",
      );
      expect(closed.effects).toEqual([
        { type: "team-changed", tenant: TENANT, teamId: "C-ML", what: "results" },
      ]);
      expect((await h.store.getTeam(TENANT, "C-ML"))?.resultsOpen).toBe(false);
    }
  });

  it("names the exact command when refusing it", async () => {
    const open = await only(command("U-a", DM, "results", "open"));
    expect(open.text).toBe("Run `results open` in your team's channel (it needs a lead of the team).");
    const priv = await only(command("U-a", DM, "results", "private"));
    expect(priv.text).toBe("Run `results private` in your team's channel (it needs a lead of the team).");
  });
});

describe("round start", () => {
  it("opens a round for the channel, then nudges the rest when run again", async () => {
    await setupML();
    const opened = await only(command("U-a", ML, "round", "start"));
    expect(opened.reply.private).toBeUndefined();
    expect(opened.text).toBe(
      `Opened **2026-Q4** for #c-ml: each of its 4 members gets a direct message with a Start button. Answers close ${QUARTER_DEADLINE}.`,
    );
    expect(opened.effects).toEqual([
      { type: "round-opened", tenant: TENANT, teamId: "C-ML", round: "2026-Q4", by: "lead" },
    ]);

    const again = await only(command("U-a", ML, "round", "start"));
    expect(again.reply.private).toBe(true);
    expect(again.text).toBe(
      "2026-Q4 is already open for #c-ml; members who have not been asked yet are nudged now.",
    );
    expect(again.effects).toEqual([
      { type: "nudge-requested", tenant: TENANT, teamId: "C-ML", round: "2026-Q4" },
    ]);
  });

  it("closes a round past its deadline first, and says so in its effects", async () => {
    await setupML();
    await h.send(command("U-a", ML, "round", "start"));
    h.clock.set("2026-12-05T10:00:00Z");
    const r = await only(command("U-a", ML, "round", "start"));
    expect(r.text).toBe(
      "Opened **2026-Q4 (round 2)** for #c-ml: each of its 4 members gets a direct message with a Start button. Answers close Sat 19 Dec 2026, 10:00 (UTC).",
    );
    expect(r.effects).toHaveLength(2);
    expect(r.effects[0]).toMatchObject({
      type: "round-closed",
      tenant: TENANT,
      teamId: "C-ML",
      round: "2026-Q4",
      comparison: { teamId: "C-ML", round: { id: "2026-Q4", label: "2026-Q4" }, direction: "hidden" },
    });
    expect(r.effects[1]).toEqual({
      type: "round-opened",
      tenant: TENANT,
      teamId: "C-ML",
      round: "2026-Q4-2",
      by: "lead",
    });
    expect((await h.store.getRound(TENANT, "C-ML", "2026-Q4"))?.closedBy).toBe("deadline");
  });
});

describe("close", () => {
  it("closes the open round once; with none open it says so", async () => {
    await setupML();
    const none = await only(command("U-a", ML, "close"));
    expect(none.text).toBe("#c-ml has no open round to close.");
    expect(none.effects).toEqual([]);

    await h.send(command("U-a", ML, "round", "start"));
    const closed = await only(command("U-a", ML, "close"));
    expect(closed.reply.private).toBe(true);
    expect(closed.text).toBe("Closed **2026-Q4**: its summary goes to this channel.");
    expect(closed.effects).toEqual([
      expect.objectContaining({ type: "round-closed", tenant: TENANT, teamId: "C-ML", round: "2026-Q4" }),
    ]);
    expect((await h.store.getRound(TENANT, "C-ML", "2026-Q4"))?.closedBy).toBe("lead");
  });

  it("tells a lead whose round another process closed a moment earlier that its summary went once", async () => {
    class RacingStore extends RedisStore {
      override async finishRound(tenant: string, closed: Round) {
        await super.finishRound(tenant, closed);
        return super.finishRound(tenant, closed);
      }
    }
    h = await engineHarness(redis, prefix, new RacingStore(redis, prefix));
    await setupML();
    await h.send(command("U-a", ML, "round", "start"));
    const r = await only(command("U-a", ML, "close"));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe("2026-Q4 is already closed; its summary was posted once.");
    expect(r.effects).toEqual([]);
  });
});

describe("remind", () => {
  it("needs an open round, then counts the members who have not completed it", async () => {
    await h.send(command("U-p", { channel: "C-PAIR" }, "setup"), { directory });
    const PAIR = { channel: "C-PAIR" };
    const none = await only(command("U-p", PAIR, "remind"));
    expect(none.reply.private).toBe(true);
    expect(none.text).toBe("#c-pair has no open round. `round start` opens one.");
    expect(none.effects).toEqual([]);

    await h.send(command("U-p", PAIR, "round", "start"));
    const both = await only(command("U-p", PAIR, "remind"));
    expect(both.text).toBe(
      "Reminding the 2 members of #c-pair who have not completed 2026-Q4 (except those who opted out or snoozed).",
    );
    expect(both.effects).toEqual([
      { type: "remind-requested", tenant: TENANT, teamId: "C-PAIR", round: "2026-Q4" },
    ]);

    await quickAssess("U-p");
    // U-q started but has not finished: still to be reminded.
    await h.send(command("U-q", DM, "assess", "quick"));
    const one = await only(command("U-p", PAIR, "remind"));
    expect(one.text).toBe(
      "Reminding the 1 member of #c-pair who have not completed 2026-Q4 (except those who opted out or snoozed).",
    );

    await quickAssess("U-q");
    const open = await h.store.openRoundOf(TENANT, "C-PAIR");
    expect(open?.id).toBe("2026-Q4");
    const nobody = await only(command("U-p", PAIR, "remind"));
    expect(nobody.text).toBe("Everyone in #c-pair has completed 2026-Q4: nobody to remind.");
    expect(nobody.effects).toEqual([
      { type: "remind-requested", tenant: TENANT, teamId: "C-PAIR", round: "2026-Q4" },
    ]);
  });
});

const DEFAULT_TEXT = (title: string) =>
  `**${title}:** a round opens each quarter, on its first weekday at 09:00 (UTC); answers stay open 14 days; reminders on days 3 and 7 to members who have not completed.\n**Next opening:** 2027-Q1, Fri 1 Jan 2027, 09:00 (UTC).`;

describe("schedule", () => {
  it("shows the team's schedule in its channel and in a direct message", async () => {
    await setupML();
    for (const where of [ML, DM]) {
      const r = await only(command("U-b", where, "schedule"));
      expect(r.reply.blocks).toEqual([
        { type: "markdown", text: DEFAULT_TEXT("#c-ml's schedule") },
        { type: "context", text: "This is the default schedule." },
      ]);
      expect(r.reply.private).toBeUndefined();
      expect(r.effects).toEqual([]);
    }
  });

  it("asks for a team's channel where there is none", async () => {
    const alone = await only(command("U-z", DM, "schedule"));
    expect(alone.reply.private).toBe(true);
    expect(alone.text).toBe("Run `schedule` in your team's channel.");
    await setupML();
    // U-a leads #c-ml, but #c-other is no team.
    const elsewhere = await only(command("U-a", OTHER, "schedule"));
    expect(elsewhere.text).toBe("Run `schedule` in your team's channel.");
  });

  it("changes cadence, time, zone and window for a lead", async () => {
    await setupML();
    const r = await only(command("U-a", ML, "schedule", "monthly at 07:05 tz Europe/Berlin window 10"));
    const text =
      "**Updated #c-ml's schedule:** a round opens each month, on its first weekday at 07:05 (Europe/Berlin); answers stay open 10 days; reminders on days 3 and 7 to members who have not completed.\n**Next opening:** 2026-12, Tue 1 Dec 2026, 07:05 (Europe/Berlin).";
    expect(r.reply.blocks).toEqual([{ type: "markdown", text }]);
    expect(r.reply.private).toBeUndefined();
    expect(r.effects).toEqual([{ type: "team-changed", tenant: TENANT, teamId: "C-ML", what: "schedule" }]);
    const team = await h.store.getTeam(TENANT, "C-ML");
    expect(team?.timezone).toBe("Europe/Berlin");
    expect(team?.schedule).toEqual({
      cadence: "monthly",
      hour: 7,
      minute: 5,
      windowDays: 10,
      reminderDays: [3, 7],
    });
  });

  it("keeps the time and window a lead leaves out", async () => {
    await setupML();
    const r = await only(command("U-a", ML, "schedule", "MONTHLY"));
    expect(r.text).toContain(
      "a round opens each month, on its first weekday at 09:00 (UTC); answers stay open 14 days;",
    );
    expect((await h.store.getTeam(TENANT, "C-ML"))?.schedule).toEqual({
      cadence: "monthly",
      hour: 9,
      minute: 0,
      windowDays: 14,
      reminderDays: [3, 7],
    });
    const back = await only(command("U-a", ML, "schedule", "quarterly at 09:00 window 14"));
    expect(back.reply.blocks).toEqual([
      { type: "markdown", text: DEFAULT_TEXT("Updated #c-ml's schedule") },
      { type: "context", text: "This is the default schedule." },
    ]);
  });

  it.each([
    ["23:59 and window 1", "quarterly at 23:59 window 1", { hour: 23, minute: 59, windowDays: 1 }],
    ["00:00 and window 60", "quarterly at 00:00 window 60", { hour: 0, minute: 0, windowDays: 60 }],
  ])("accepts the edges: %s", async (_, args, expected) => {
    await setupML();
    const r = await only(command("U-a", ML, "schedule", args));
    expect(r.text).toMatch(/^\*\*Updated #c-ml's schedule:\*\*/);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.schedule).toMatchObject(expected);
  });

  const TIME = "The time must be HH:MM between 00:00 and 23:59. Nothing was changed.";
  const WINDOW = "The answer window is 1 to 60 days. Nothing was changed.";
  it.each([
    ["quarterly at 24:00", TIME],
    ["quarterly at 23:60", TIME],
    ["monthly at 9:75", TIME],
    [
      "quarterly tz Mars/Olympus",
      "`Mars/Olympus` is not a time zone I know; use an IANA name such as Europe/Berlin. Nothing was changed.",
    ],
    ["quarterly window 0", WINDOW],
    ["quarterly window 61", WINDOW],
    [
      "weekly",
      "I couldn't read that schedule. For example: `schedule quarterly at 09:30 tz Europe/Berlin window 14` (a lead's command; time, time zone and window are optional).",
    ],
  ])("refuses %s and changes nothing", async (args, expected) => {
    await setupML();
    const r = await only(command("U-a", ML, "schedule", args));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe(expected);
    expect(r.effects).toEqual([]);
    const team = await h.store.getTeam(TENANT, "C-ML");
    expect(team?.schedule).toBeUndefined();
    expect(team?.timezone).toBe("UTC");
  });

  it("is a lead's command to change", async () => {
    await setupML();
    const member = await only(command("U-b", ML, "schedule", "monthly"));
    expect(member.text).toBe(
      `Only a lead of #c-ml can do that (${LEAD_A}), or a workspace admin. Nothing was changed.`,
    );
    const dm = await only(command("U-a", DM, "schedule", "monthly"));
    expect(dm.text).toBe("Run `schedule` in your team's channel (it needs a lead of the team).");
    expect((await h.store.getTeam(TENANT, "C-ML"))?.schedule).toBeUndefined();
  });

  it("says so when the team disappeared before the change was saved", async () => {
    class VanishingStore extends RedisStore {
      override async updateTeam() {
        return undefined;
      }
    }
    h = await engineHarness(redis, prefix, new VanishingStore(redis, prefix));
    await setupML();
    const r = await only(command("U-a", ML, "schedule", "monthly"));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe("That team no longer exists. Nothing was changed.");
    expect(r.effects).toEqual([]);
  });
});

describe("digest", () => {
  const REFUSED = "Only a team's lead or a workspace admin can do that. Nothing was changed.";

  it("is set up in a channel by a lead of any team, then posted on request", async () => {
    await setupML();
    const early = await only(command("U-a", ML, "digest", "now"));
    expect(early.reply.private).toBe(true);
    expect(early.text).toBe("No digest channel yet: run `digest here` in the channel that should get it.");
    expect(early.effects).toEqual([]);

    const here = await only(command("U-a", OTHER, "digest", "here"));
    expect(here.reply.private).toBeUndefined();
    expect(here.text).toBe(
      "This channel now gets the workspace's quarterly progress digest: every team's level and trend, who moved, participation, and a chart. `digest now` posts one now.",
    );
    expect(await h.store.getSettings(TENANT)).toEqual({
      digestChannel: "C-OTHER",
      digestPlatform: "playground",
    });

    const now = await only(command("U-a", DM, "digest", "now"));
    expect(now.reply.private).toBe(true);
    expect(now.text).toBe("The digest is on its way to the digest channel.");
    expect(now.effects).toEqual([{ type: "digest-requested", tenant: TENANT }]);
  });

  it("is refused to members who lead no team, and needs a channel", async () => {
    await setupML();
    const here = await only(command("U-b", ML, "digest", "here"), { directory });
    expect(here.reply.private).toBe(true);
    expect(here.text).toBe(REFUSED);
    const now = await only(command("U-b", ML, "digest", "now"), { directory });
    expect(now.text).toBe(REFUSED);
    expect(now.effects).toEqual([]);
    expect(await h.store.getSettings(TENANT)).toEqual({});
    const dm = await only(command("U-a", DM, "digest", "here"));
    expect(dm.reply.private).toBe(true);
    expect(dm.text).toBe("Run `digest here` in the channel that should get the digest.");
    expect(await h.store.getSettings(TENANT)).toEqual({});
  });

  it("lets a workspace admin who leads nothing set it", async () => {
    const r = await only(command("U-admin", OTHER, "digest", "here"), { directory: adminDirectory });
    expect(r.text).toContain("This channel now gets the workspace's quarterly progress digest");
    expect((await h.store.getSettings(TENANT)).digestChannel).toBe("C-OTHER");
  });
});

describe("failures", () => {
  const letter = (id: string, kind: string, failedAt = "2026-11-19T08:30:12.000Z"): DeadLetter => ({
    id,
    kind,
    to: "#c-ml",
    reason: "channel_not_found",
    failedAt,
    payload: "{}",
  });

  it("lists failed messages with a retry button each, and retries one once", async () => {
    await setupML();
    const empty = await only(command("U-a", ML, "failures"));
    expect(empty.reply.private).toBe(true);
    expect(empty.text).toBe("No failed messages: everything was delivered.");

    await h.store.addDeadLetter(TENANT, letter("L1", "nudge"));
    await h.store.addDeadLetter(TENANT, letter("L2", "summary", "2026-11-19T21:05:00.000Z"));
    const list = await only(command("U-a", ML, "failures"));
    expect(list.reply.private).toBe(true);
    expect(list.reply.text).toBe("2 failed message(s)");
    expect(list.reply.blocks).toEqual([
      { type: "heading", text: "Messages that failed every retry" },
      { type: "markdown", text: "**nudge** to #c-ml: `channel_not_found` (2026-11-19 08:30 UTC)" },
      {
        type: "actions",
        buttons: [{ id: "retry-L1", label: "Retry", value: { action: "retry-failure", id: "L1" } }],
      },
      { type: "markdown", text: "**summary** to #c-ml: `channel_not_found` (2026-11-19 21:05 UTC)" },
      {
        type: "actions",
        buttons: [{ id: "retry-L2", label: "Retry", value: { action: "retry-failure", id: "L2" } }],
      },
    ]);

    const retry = button(list.reply, "Retry");
    const sent = await only(click("U-a", retry));
    expect(sent.reply.private).toBe(true);
    expect(sent.text).toBe("Sending the nudge to #c-ml again.");
    expect(sent.effects).toEqual([
      { type: "dead-letter-retry", tenant: TENANT, letter: letter("L1", "nudge") },
    ]);
    expect((await h.store.deadLetters(TENANT)).map((l) => l.id)).toEqual(["L2"]);

    // Another lead's click on the same button finds it gone.
    const twice = await only(click("U-admin", retry), { directory: adminDirectory });
    expect(twice.reply.private).toBe(true);
    expect(twice.text).toBe("That message was retried already.");
    expect(twice.effects).toEqual([]);
  });

  it("is for leads and admins only", async () => {
    await setupML();
    await h.store.addDeadLetter(TENANT, letter("L1", "nudge"));
    const REFUSED = "Only a team's lead or a workspace admin can do that. Nothing was changed.";
    const list = await only(command("U-b", ML, "failures"), { directory });
    expect(list.text).toBe(REFUSED);
    const retry = await only(
      click("U-b", { id: "retry-L1", label: "Retry", value: { action: "retry-failure", id: "L1" } }),
      {
        directory,
      },
    );
    expect(retry.reply.private).toBe(true);
    expect(retry.text).toBe(REFUSED);
    expect(retry.effects).toEqual([]);
    expect((await h.store.deadLetters(TENANT)).map((l) => l.id)).toEqual(["L1"]);
  });
});

describe("snooze, stop nudges, start nudges", () => {
  it("snoozes reminders for a week", async () => {
    const r = await only(command("U-b", DM, "snooze"));
    expect(r.reply.private).toBe(true);
    expect(r.text).toBe(
      "Snoozed: no reminders until 2026-11-27. You can still answer any time with `assess`.",
    );
    expect(await h.store.getPrefs(TENANT, "U-b")).toEqual({ snoozedUntil: "2026-11-27T10:00:00.000Z" });
  });

  it("turns nudges off and on again, clearing a snooze", async () => {
    await h.send(command("U-b", DM, "snooze"));
    const off = await only(command("U-b", DM, "stop", "nudges"));
    expect(off.reply.private).toBe(true);
    expect(off.text).toBe("You won't get nudges or reminders any more. `start nudges` turns them back on.");
    expect(await h.store.getPrefs(TENANT, "U-b")).toMatchObject({ optedOut: true });

    const on = await only(command("U-b", DM, "start", "nudges"));
    expect(on.reply.private).toBe(true);
    expect(on.text).toBe("Nudges are on again: you'll hear from me when a round opens.");
    const prefs = await h.store.getPrefs(TENANT, "U-b");
    expect(prefs.optedOut).toBe(false);
    expect(prefs.snoozedUntil).toBeUndefined();
  });
});
