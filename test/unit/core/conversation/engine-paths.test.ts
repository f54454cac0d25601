import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NotInChannelError } from "../../../../src/core/conversation/context.js";
import type { ChatEventInput } from "../../../../src/core/conversation/events.js";
import { MAX_TEAM_MEMBERS, TeamTooLargeError } from "../../../../src/core/conversation/ports.js";
import { mentionToken as m, type Reply } from "../../../../src/core/reply.js";
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
  message,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** The engine's less travelled paths: free-text parsing, button values, setup, leads, members, team picking. */

let prefix: string;
let redis: Redis;
let h: Harness;
const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d"],
  "C-TRIO": ["U-a", "U-t1", "U-t2"],
  "C-SOLO": ["U-s"],
  "C-BIG": ["U-x1", "U-x2", "U-x3"],
});
const ML = { channel: "C-ML" };
const DM = { dm: true } as const;

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("engine-paths");
  h = await engineHarness(redis, prefix);
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

const setupML = () => h.send(command("U-a", ML, "setup"), { directory });
const action = (user: string, value: Record<string, string | number | boolean>, actionId = "x") =>
  event(user, DM, { type: "action", actionId, value });
const text = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return visible(replies[0]!);
};
const NO_TEAM =
  "You're not in a team yet. Ask your lead to run `setup` in your team's channel, or run it there yourself.";

/** #c-big: everything at level 3 but model lifecycle at 1 (a team level of 2, lifecycle weakest). */
async function bigTeam(): Promise<void> {
  await h.send(command("U-x1", { channel: "C-BIG" }, "setup"), { directory });
  for (const user of ["U-x1", "U-x2", "U-x3"]) {
    let current = (await h.send(command(user, DM, "assess"))).find((r) => r.progress)!;
    while (choices(current).length > 0) {
      const key = choices(current)[0]!.value.q;
      [current] = (await h.send(
        click(user, button(current, key === "c3-lifecycle" ? "Level 1" : "Level 3")),
      )) as [Reply];
    }
  }
}

describe("requests and deliveries", () => {
  it("a malformed request gets one private apology and no effects", async () => {
    const out = await h.outcome(null as unknown as ChatEventInput);
    expect(out.effects).toEqual([]);
    expect(out.replies).toHaveLength(1);
    expect(out.replies[0]!.private).toBe(true);
    expect(visible(out.replies[0]!)).toBe(
      "Sorry, I couldn't read that request. Nothing was changed; please try again.",
    );
  });

  it("a retried delivery gets nothing at all, the first one its reply", async () => {
    const first = await h.outcome({ ...command("U-a", DM, "help"), deliveryId: "Ev-1" });
    expect(first.replies).toHaveLength(1);
    expect(await h.outcome({ ...command("U-a", DM, "help"), deliveryId: "Ev-1" })).toEqual({
      replies: [],
      effects: [],
    });
  });

  it("the same answer clicked twice is told it was already answered (the answer guards itself)", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const level2 = button(q1!, "Level 2");
    const [q2] = await h.send(click("U-b", level2));
    expect(q2!.progress?.current).toBe(2);
    const again = await h.send(click("U-b", level2));
    expect(again).toHaveLength(1);
    expect(again[0]!.private).toBe(true);
    expect(visible(again[0]!)).toMatch(
      /^Already answered: ".*" is saved as Level 2\. Use Back to change it\.$/,
    );
  });
});

describe("commands", () => {
  it("trims a command's arguments", async () => {
    expect(text(await h.send(command("U-a", DM, "roadmap", "   2  ")))).toContain(
      "**Level 2 → 3** takes **6-12 months**",
    );
  });

  it("roadmap takes 'level 3', 'level3' and 'level  3', never a level later in the text", async () => {
    for (const args of ["level 3", "level3", "level  3", "3"]) {
      expect(text(await h.send(command("U-a", DM, "roadmap", args)))).toContain("**Level 3 → 4**");
    }
    for (const args of ["x 2", "levelx 2", "2x"]) {
      expect(text(await h.send(command("U-a", DM, "roadmap", args)))).toBe(
        "`roadmap` takes a level from 1 to 5, e.g. `roadmap 2`, or nothing for your team's level.",
      );
    }
  });

  it("assess quick only when the arguments start with it", async () => {
    await setupML();
    const [q] = (await h.send(command("U-b", ML, "assess", "not quick"))).filter((r) => r.progress);
    expect(q!.progress).toEqual({ current: 1, total: 8 });
    const [quick] = (await h.send(command("U-c", ML, "assess", "QUICK please"))).filter((r) => r.progress);
    expect(quick!.progress).toEqual({ current: 1, total: 3 });
  });

  it("ask without a question gives an example", async () => {
    expect(text(await h.send(command("U-a", DM, "ask")))).toBe(
      "Ask me anything about MLOps maturity, e.g. `ask how long does level 2 to 3 take?`",
    );
  });

  it("start and stop nudges are commands", async () => {
    expect(text(await h.send(command("U-a", DM, "stop", "nudges")))).toBe(
      "You won't get nudges or reminders any more. `start nudges` turns them back on.",
    );
    expect((await h.store.getPrefs(TENANT, "U-a")).optedOut).toBe(true);
    expect(text(await h.send(command("U-a", DM, "start", "nudges")))).toBe(
      "Nudges are on again: you'll hear from me when a round opens.",
    );
    expect((await h.store.getPrefs(TENANT, "U-a")).optedOut).toBe(false);
  });

  it("an unknown command is quoted up to 40 characters", async () => {
    const name = `${"a".repeat(40)}zzzzzzzzzz`;
    const [r] = await h.send(command("U-a", DM, name));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(
      `I don't know the command \`${"a".repeat(40)}\`. These are the ones I know: \`help\`, \`setup\`, \`assess\`, \`status\`, \`roadmap\`, \`ask\`, \`lead\`, \`results\`, \`round\`, \`close\`, \`remind\`, \`schedule\`, \`digest\`, \`failures\`, \`snooze\`, \`stop\`, \`start\`.`,
    );
  });
});

describe("free text", () => {
  it("takes off a leading 'maturity' or '/maturity' and runs the command", async () => {
    for (const said of ["maturity status", "/maturity status", "  Maturity   status", "status"]) {
      expect(text(await h.send(message("U-lonely", DM, said)))).toBe(NO_TEAM);
    }
  });

  it("leaves 'maturity' inside a sentence alone", async () => {
    expect(text(await h.send(message("U-a", DM, "roadmap maturity 2")))).toBe(
      "`roadmap` takes a level from 1 to 5, e.g. `roadmap 2`, or nothing for your team's level.",
    );
    expect(text(await h.send(message("U-lonely", DM, "xmaturity status")))).not.toBe(NO_TEAM);
  });

  it("splits on runs of spaces and passes the rest as arguments", async () => {
    expect(text(await h.send(message("U-a", DM, "roadmap   2")))).toContain("**Level 2 → 3**");
    expect(text(await h.send(message("U-a", DM, "roadmap 2 x")))).toContain("**Level 2 → 3**");
    expect(text(await h.send(message("U-a", DM, "Roadmap level 4")))).toContain("**Level 4 → 5**");
  });

  it("a command word starts a command whatever follows; more words are its arguments", async () => {
    expect(text(await h.send(message("U-lonely", DM, "Status of my team please")))).toBe(NO_TEAM);
  });

  it("stop and start are commands only before 'nudges'", async () => {
    expect(text(await h.send(message("U-a", DM, "stop NUDGES")))).toBe(
      "You won't get nudges or reminders any more. `start nudges` turns them back on.",
    );
    expect(text(await h.send(message("U-a", DM, "Start nudges")))).toBe(
      "Nudges are on again: you'll hear from me when a round opens.",
    );
    for (const said of ["stop", "start", "stop the pipeline from drifting", "start with what?"]) {
      const out = await h.outcome(message("U-a", DM, said));
      expect(out.effects.map((e) => e.type)).toEqual(["knowledge-answered"]);
      expect(text(out.replies)).not.toMatch(/Did you mean|nudges/);
    }
    expect((await h.store.getPrefs(TENANT, "U-a")).optedOut).toBe(false);
  });

  it("'ask' alone is a question, not the ask command", async () => {
    const out = await h.outcome(message("U-a", DM, "ask"));
    expect(out.effects.map((e) => e.type)).toEqual(["knowledge-answered"]);
    expect(text(out.replies)).not.toContain("Ask me anything");
  });

  it("empty text and greetings get the help", async () => {
    for (const said of ["", "   ", "maturity  ", "hey", "Hi!", "good morning."]) {
      const [r] = await h.send(message("U-a", DM, said));
      expect(visible(r!)).toContain("I help your team see how mature its MLOps practice is");
      expect(buttons(r!).map((b) => b.id)).toEqual(["start-assess", "start-assess-quick"]);
    }
  });

  it("a greeting inside a sentence is a question", async () => {
    for (const said of ["oh well hi", "hi there my friend"]) {
      const out = await h.outcome(message("U-a", DM, said));
      expect(out.effects.map((e) => e.type)).toEqual(["knowledge-answered"]);
      expect(text(out.replies)).not.toContain("I help your team see");
    }
  });

  it("a mistyped command word with at most one more word gets a did-you-mean, longer text is a question", async () => {
    expect(text(await h.send(message("U-z", DM, "staus please")))).toContain("Did you mean `status`?");
    const out = await h.outcome(message("U-z", DM, "staus of the team please"));
    expect(out.effects.map((e) => e.type)).toEqual(["knowledge-answered"]);
    expect(text(out.replies)).not.toContain("Did you mean");
  });

  it("an answered question is an effect with its intent and confidence", async () => {
    const out = await h.outcome(message("U-a", DM, "how long does level 1 to 2 take?"));
    expect(out.effects).toHaveLength(1);
    expect(out.effects[0]).toMatchObject({ type: "knowledge-answered" });
    const effect = out.effects[0] as { intent: string; confidence: number };
    expect(typeof effect.intent).toBe("string");
    expect(effect.intent.length).toBeGreaterThan(0);
    expect(typeof effect.confidence).toBe("number");
  });
});

describe("buttons", () => {
  it("an answer value on a button that is not an answer button changes nothing", async () => {
    await setupML();
    const [q1] = await h.send(command("U-b", DM, "assess"));
    const forged = { ...button(q1!, "Level 2"), id: "skip" };
    const [r] = await h.send(click("U-b", forged));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(
      "That button didn't carry a valid answer. Nothing was changed; run `assess` to continue.",
    );
    const v = button(q1!, "Skip").value as unknown as { t: string; r: string };
    expect((await h.store.getSession(TENANT, v.t, v.r, "U-b"))?.cursor).toBe(0);
  });

  it("Answer again without a mode starts the full assessment", async () => {
    await setupML();
    const [q1] = await h.send(command("U-c", DM, "assess", "quick"));
    await answerAll(h, "U-c", q1!, [3]);
    const [done] = await h.send(command("U-c", DM, "assess"));
    const again = button(done!, "Answer again");
    const { mode: _mode, ...value } = again.value;
    const [first] = await h.send(click("U-c", { ...again, value }));
    expect(first!.progress).toEqual({ current: 1, total: 8 });
  });

  it("the start buttons start a full or a quick assessment", async () => {
    await setupML();
    const [full] = await h.send(action("U-b", { action: "assess", mode: "full" }));
    expect(full!.progress).toEqual({ current: 1, total: 8 });
    const [other] = await h.send(action("U-c", { action: "assess", mode: "fast" }));
    expect(other!.progress).toEqual({ current: 1, total: 8 });
    const [quick] = await h.send(action("U-d", { action: "assess", mode: "quick" }));
    expect(quick!.progress).toEqual({ current: 1, total: 3 });
  });

  it("a team id that is not a string is ignored", async () => {
    await setupML();
    const [q] = await h.send(action("U-b", { action: "assess", mode: "full", t: 5 }));
    expect(q!.progress).toEqual({ current: 1, total: 8 });
  });

  it("a button of a team that no longer exists says so", async () => {
    const [r] = await h.send(action("U-a", { action: "status", t: "C-GONE" }));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("That team no longer exists. Run `setup` in its channel to register it again.");
  });

  it("a button of another team does nothing for a non-member", async () => {
    await setupML();
    const [r] = await h.send(action("U-z", { action: "roadmap", t: "C-ML", level: 2 }));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe("You're not a member of #c-ml, so that button does nothing for you.");
  });

  it("roadmap buttons take levels 1 to 5 and nothing else", async () => {
    expect(text(await h.send(action("U-a", { action: "roadmap", level: 1 })))).toContain("**Level 1 → 2**");
    expect(text(await h.send(action("U-a", { action: "roadmap", level: 4 })))).toContain("**Level 4 → 5**");
    const top = text(await h.send(action("U-a", { action: "roadmap", level: 5 })));
    expect(top).toBe(text(await h.send(command("U-a", DM, "roadmap", "5"))));
    expect(top).not.toContain("Your team has no level yet");
    const none = text(await h.send(action("U-a", { action: "roadmap", level: 2 }, "y")));
    expect(none).toContain("**Level 2 → 3**");
    for (const level of [0, 6, -3, "3"] as const) {
      expect(text(await h.send(action("U-a", { action: "roadmap", level }, `r${level}`)))).toMatch(
        /^Your team has no level yet: take the assessment, or ask for a level, e.g\. `roadmap 2`\./,
      );
    }
  });

  it("a roadmap button of a member's team gives that team's step", async () => {
    await setupML();
    const [r] = await h.send(action("U-b", { action: "roadmap", t: "C-ML", level: 3 }));
    expect(visible(r!)).toContain("**Level 3 → 4**");
  });

  it("an ask button needs a question", async () => {
    for (const q of ["", "   ", 7] as const) {
      const [r] = await h.send(action("U-a", { action: "ask", q }, `ask-${q}`));
      expect(r!.private).toBe(true);
      expect(visible(r!)).toBe(
        "That button is from an older message and no longer does anything. Type `help` to see what I can do.",
      );
    }
    const [retry] = await h.send(action("U-a", { action: "retry-failure", id: 3 }));
    expect(visible(retry!)).toContain("That button is from an older message");
  });

  it("an ask button's question is read up to 500 characters", async () => {
    const q = `${"x".repeat(500)} how long does level 1 to 2 take?`;
    const [r] = await h.send(action("U-a", { action: "ask", q }));
    expect(visible(r!)).not.toContain("3-6 months");
    const [plain] = await h.send(action("U-a", { action: "ask", q: "how long does level 1 to 2 take?" }));
    expect(visible(plain!)).toContain("3-6 months");
  });

  it("a More button gives a later part only for a whole number above 1", async () => {
    const [first] = await h.send(command("U-a", DM, "roadmap", "2"));
    const more = button(first!, "More");
    const q = more.value.q as string;
    const part = async (value: number | string | undefined, id: string) =>
      text(
        await h.send(
          action("U-a", { action: "ask", q, ...(value === undefined ? {} : { more: value }) }, id),
        ),
      );
    const one = await part(undefined, "m0");
    const two = await part(2, "m2");
    expect(two).not.toBe(one);
    for (const [v, id] of [
      [1, "m1"],
      [2.5, "m25"],
      ["2", "ms"],
    ] as const) {
      expect(await part(v, id)).toBe(one);
    }
    expect(await part(3, "m3")).not.toBe(two);
    expect(await part(25, "m25b")).toBe(await part(20, "m20"));
  });
});

describe("setup", () => {
  it("without a directory registers a team of one, the caller, and says so", async () => {
    const out = await h.outcome(command("U-s", { channel: "C-SOLO" }, "setup"));
    expect(out.effects).toEqual([{ type: "team-registered", tenant: TENANT, teamId: "C-SOLO" }]);
    expect(text(out.replies)).toBe(
      `#c-solo is now a team with 1 member; ${m("U-s")} is its lead.\n\n` +
        "Everyone: take this quarter's assessment (about 5 minutes, in a direct message; your answers stay private). " +
        "With 1 member, the channel sees participation only, so that no one's answers can be worked out.\n" +
        "[Start my assessment] [Quick (3 questions)]",
    );
    expect(buttons(out.replies[0]!).map((b) => [b.id, b.value])).toEqual([
      ["start-assess", { action: "assess", mode: "full", t: "C-SOLO" }],
      ["start-assess-quick", { action: "assess", mode: "quick", t: "C-SOLO" }],
    ]);
    expect((await h.store.getTeam(TENANT, "C-SOLO"))?.members).toEqual(["U-s"]);
  });

  it("a team of three will see its combined result", async () => {
    const [r] = await h.send(command("U-a", { channel: "C-TRIO" }, "setup"), { directory });
    expect(visible(r!)).toContain(
      `#c-trio is now a team with 3 members; ${m("U-a")} is its lead.\n\nEveryone: take this quarter's assessment (about 5 minutes, in a direct message; your answers stay private). The channel sees the team's combined result once 3 members have answered.`,
    );
  });

  it("keeps the time zones the platform knows", async () => {
    await h.send(command("U-a", ML, "setup"), {
      directory: { ...directory, timezones: async () => ({ "U-b": "Europe/Berlin" }) },
    });
    expect((await h.store.getPrefs(TENANT, "U-b")).timezone).toBe("Europe/Berlin");
    const [r] = await h.send(command("U-a", { channel: "C-TRIO" }, "setup"), {
      directory: {
        ...directory,
        timezones: async () => {
          throw new Error("users.info failed");
        },
      },
    });
    expect(visible(r!)).toContain("#c-trio is now a team with 3 members");
  });

  it("run again, refreshes the members and names the leads", async () => {
    await setupML();
    await h.send({ ...command("U-a", ML, "lead"), mentions: [{ id: "U-c" }] } as ChatEventInput);
    const grown = channelDirectory({ "C-ML": ["U-a", "U-b", "U-c", "U-d", "U-e"] });
    const out = await h.outcome(command("U-b", ML, "setup"), { directory: grown });
    expect(out.effects).toEqual([
      { type: "members-changed", tenant: TENANT, teamId: "C-ML", joined: [], left: [] },
    ]);
    expect(out.replies[0]!.private).toBe(true);
    expect(text(out.replies)).toBe(
      `#c-ml is already a team (5 members, leads: ${m("U-a")}, ${m("U-c")}). I refreshed its member list.`,
    );
    const shrunk = channelDirectory({ "C-ML": ["U-a", "U-b"] });
    expect(text(await h.send(command("U-a", ML, "setup"), { directory: shrunk }))).toBe(
      `#c-ml is already a team (2 members, leads: ${m("U-a")}, ${m("U-c")}). I refreshed its member list.`,
    );
  });

  it("names a single lead without a plural", async () => {
    await setupML();
    expect(text(await h.send(command("U-b", ML, "setup"), { directory }))).toBe(
      `#c-ml is already a team (4 members, lead: ${m("U-a")}). I refreshed its member list.`,
    );
  });

  it("tells the caller to add the bot first when it is not in the channel", async () => {
    const [r] = await h.send(command("U-a", { channel: "C-SECRET" }, "setup"), {
      directory: {
        channelMembers: async (c) => {
          throw new NotInChannelError(c);
        },
      },
    });
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(
      "I'm not in this channel yet, so I can't see its members. Add me to the channel first, then run `setup` again.",
    );
  });

  it("keeps the platform's error as the cause", async () => {
    const failure = new Error("ratelimited");
    const error = await h
      .send(command("U-a", { channel: "C-FLAKY" }, "setup"), {
        directory: {
          channelMembers: async () => {
            throw failure;
          },
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as Error).cause).toBe(failure);
  });

  it("a channel of exactly the limit is a team; one more is refused privately", async () => {
    const members = Array.from({ length: MAX_TEAM_MEMBERS }, (_, i) => `U-m${i}`);
    const [ok] = await h.send(command(members[0]!, { channel: "C-FULL" }, "setup"), {
      directory: channelDirectory({ "C-FULL": members }),
    });
    expect(visible(ok!)).toContain("#c-full is now a team with 20000 members");
    const [refused] = await h.send(command("U-a", { channel: "C-OVER" }, "setup"), {
      directory: channelDirectory({ "C-OVER": [...members, "U-a"] }),
    });
    expect(refused!.private).toBe(true);
    expect(visible(refused!)).toBe(
      "A team can have at most 20,000 members, and this channel would have 20,001. Nothing was changed: register a smaller channel as the team.",
    );
    expect(await h.store.getTeam(TENANT, "C-OVER")).toBeUndefined();
  });
});

describe("a store refusing a team too large", () => {
  class FullStore extends RedisStore {
    override async setMembers(): Promise<never> {
      throw new TeamTooLargeError(MAX_TEAM_MEMBERS + 3);
    }
    override async changeMembers(): Promise<never> {
      throw new TeamTooLargeError(MAX_TEAM_MEMBERS + 1);
    }
  }
  let full: Harness;
  beforeEach(async () => {
    full = await engineHarness(redis, prefix, new FullStore(redis, prefix));
  });

  it("setup run again says the channel is too large", async () => {
    await full.send(command("U-a", ML, "setup"), { directory });
    const out = await full.outcome(command("U-a", ML, "setup"), { directory });
    expect(out.effects).toEqual([]);
    expect(out.replies[0]!.private).toBe(true);
    expect(text(out.replies)).toBe(
      "A team can have at most 20,000 members, and this channel would have 20,003. Nothing was changed: register a smaller channel as the team.",
    );
  });

  it("a newcomer's command in a full team's channel says so", async () => {
    await full.send(command("U-a", ML, "setup"), { directory });
    const out = await full.outcome(command("U-new", ML, "status"));
    expect(out.effects).toEqual([]);
    expect(text(out.replies)).toBe(
      "A team can have at most 20,000 members, and this channel would have 20,001. Nothing was changed: register a smaller channel as the team.",
    );
  });

  it("another storage error is not taken for a full team", async () => {
    class Broken extends RedisStore {
      override async setMembers(): Promise<never> {
        throw new Error("boom");
      }
      override async changeMembers(): Promise<never> {
        throw new Error("bang");
      }
    }
    const broken = await engineHarness(redis, prefix, new Broken(redis, prefix));
    await broken.send(command("U-a", ML, "setup"), { directory });
    await expect(broken.send(command("U-a", ML, "setup"), { directory })).rejects.toThrow("boom");
    await expect(broken.send(command("U-new", ML, "status"))).rejects.toThrow("bang");
  });
});

describe("leads", () => {
  const lead = (user: string, who: string, type: "command" | "message" = "command") =>
    type === "command"
      ? { ...command(user, ML, "lead", `@${who}`), mentions: [{ id: who }] }
      : { ...message(user, ML, `lead @${who}`), mentions: [{ id: who }] };

  it("a lead adds a lead by a mention in a message too", async () => {
    await setupML();
    const out = await h.outcome(lead("U-a", "U-b", "message"));
    expect(text(out.replies)).toBe(`${m("U-b")} is now a lead of #c-ml.`);
    expect(out.effects).toEqual([{ type: "team-changed", tenant: TENANT, teamId: "C-ML", what: "leads" }]);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.leads).toEqual(["U-a", "U-b"]);
  });

  it("making a lead a lead again changes nothing", async () => {
    await setupML();
    const out = await h.outcome(lead("U-a", "U-a"));
    expect(text(out.replies)).toBe(`${m("U-a")} is now a lead of #c-ml.`);
    expect(out.effects).toEqual([]);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.leads).toEqual(["U-a"]);
  });

  it("only a member can become a lead", async () => {
    await setupML();
    const [r] = await h.send(lead("U-a", "U-zz"));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(`${m("U-zz")} is not a member of #c-ml.`);
    expect((await h.store.getTeam(TENANT, "C-ML"))?.leads).toEqual(["U-a"]);
  });

  it("lead in a direct message points to the team's channel", async () => {
    const [r] = await h.send(command("U-a", DM, "lead", "@b"));
    expect(visible(r!)).toBe("Run `lead @someone` in your team's channel (it needs a lead of the team).");
  });
});

describe("member changes", () => {
  const change = (kind: "joined" | "left", members: string[], channel = "C-ML") =>
    event("U-a", { channel }, { type: "members", change: kind, members });

  it("a join and a leave change the team's members", async () => {
    await setupML();
    const joined = await h.outcome(change("joined", ["U-e"]));
    expect(joined).toEqual({
      replies: [],
      effects: [{ type: "members-changed", tenant: TENANT, teamId: "C-ML", joined: ["U-e"], left: [] }],
    });
    expect((await h.store.getTeam(TENANT, "C-ML"))?.members).toEqual(["U-a", "U-b", "U-c", "U-d", "U-e"]);
    const left = await h.outcome(change("left", ["U-b"]));
    expect(left).toEqual({
      replies: [],
      effects: [{ type: "members-changed", tenant: TENANT, teamId: "C-ML", joined: [], left: ["U-b"] }],
    });
    expect((await h.store.getTeam(TENANT, "C-ML"))?.members).toEqual(["U-a", "U-c", "U-d", "U-e"]);
  });

  it("a change in a channel that is no team is ignored", async () => {
    expect(await h.outcome(change("joined", ["U-e"], "C-NONE"))).toEqual({ replies: [], effects: [] });
    expect(await h.store.getTeam(TENANT, "C-NONE")).toBeUndefined();
  });
});

describe("which team", () => {
  it("a command in a team's channel by a newcomer makes them a member", async () => {
    await setupML();
    const out = await h.outcome(command("U-new", ML, "status"));
    expect(out.effects).toEqual([
      { type: "members-changed", tenant: TENANT, teamId: "C-ML", joined: ["U-new"], left: [] },
    ]);
    expect(text(out.replies)).toContain("#c-ml · no round open");
    expect((await h.store.getTeam(TENANT, "C-ML"))?.members).toEqual(["U-a", "U-b", "U-c", "U-d", "U-new"]);
    const again = await h.outcome(command("U-new", ML, "status"));
    expect(again.effects).toEqual([]);
  });

  it("a channel that is no team says how to register it", async () => {
    const [r] = await h.send(command("U-a", { channel: "C-NEW" }, "assess"));
    expect(r!.private).toBe(true);
    expect(visible(r!)).toBe(
      "This channel isn't a team yet. Run `setup` here to register it; you'll become its lead.",
    );
  });

  it("a member of no team is told how to get one", async () => {
    expect(text(await h.send(command("U-lonely", DM, "status")))).toBe(NO_TEAM);
  });

  it("a member of several teams picks one for status, at most ten", async () => {
    const channels = Array.from({ length: 11 }, (_, i) => `C-T${String(i).padStart(2, "0")}`);
    for (const c of channels) await h.send(command("U-many", { channel: c }, "setup"));
    const [pick] = await h.send(command("U-many", DM, "status"));
    expect(visible(pick!)).toContain("You're in 11 teams. Which one?");
    const shown = buttons(pick!);
    expect(shown).toHaveLength(10);
    expect(shown[0]).toMatchObject({ id: `pick-status-${shown[0]!.value.t}`, value: { action: "status" } });
    const [viaButton] = await h.send(action("U-many", { action: "status" }));
    expect(buttons(viaButton!).map((b) => b.id)).toEqual(shown.map((b) => b.id));
    const [status] = await h.send(click("U-many", shown[0]!));
    expect(visible(status!)).toContain(`#${String(shown[0]!.value.t).toLowerCase()} · `);
  });

  it("a button id is cut at 255 characters", async () => {
    const long = `C-${"L".repeat(253)}`;
    await h.send(command("U-two", { channel: long }, "setup"));
    await h.send(command("U-two", { channel: "C-SHORT" }, "setup"));
    const [pick] = await h.send(command("U-two", DM, "assess"));
    const ids = buttons(pick!).map((b) => b.id);
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => id.length <= 255)).toBe(true);
    expect(ids).toContain(`pick-assess-${long}`.slice(0, 255));
  });
});

describe("the asker's team", () => {
  it("in a team's channel, that team's level, even for a member of two teams", async () => {
    await bigTeam();
    await h.send(command("U-x1", { channel: "C-TRIO" }, "setup"), {
      directory: channelDirectory({ "C-TRIO": ["U-x1"] }),
    });
    const [r] = await h.send(message("U-x1", { channel: "C-BIG" }, "what should we do next?"));
    expect(visible(r!)).toContain("(level 2)");
    const [roadmap] = await h.send(command("U-x1", { channel: "C-BIG" }, "roadmap"));
    expect(visible(roadmap!)).toMatch(/^\*\*Start with Model lifecycle management\*\*/);
    // In a direct message a member of two teams speaks for neither.
    const [dm] = await h.send(message("U-x1", DM, "what should we do next?"));
    expect(visible(dm!)).not.toContain("(level 2)");
  });

  it("in a channel that is no team, the asker's only team", async () => {
    await bigTeam();
    const [r] = await h.send(message("U-x2", { channel: "C-RANDOM" }, "what should we do next?"));
    expect(visible(r!)).toContain("(level 2)");
  });
});
