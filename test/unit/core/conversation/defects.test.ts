import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEAM_MEMBERS, type Session } from "../../../../src/core/conversation/ports.js";
import type { Button, Reply } from "../../../../src/core/reply.js";
import { RedisStore } from "../../../../src/store/redis-store.js";
import {
  button,
  channelDirectory,
  choices,
  click,
  command,
  engineHarness,
  type Harness,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** Double clicks, forged button values, storage failing half-way and oversized teams. */

const prefix = testPrefix("engine-defects");
let redis: Redis;
let h: Harness;
let failPrevious = false;

class FlakyStore extends RedisStore {
  override async previousAnswers(...args: Parameters<RedisStore["previousAnswers"]>) {
    if (failPrevious) throw new Error("Connection is closed.");
    return super.previousAnswers(...args);
  }
}

const huge = Array.from({ length: MAX_TEAM_MEMBERS + 1 }, (_, i) => `U-h${i}`);
const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d", "U-e"],
  "C-OTHER": ["U-z"],
  "C-HUGE": huge,
});
const DM = { dm: true } as const;

beforeAll(async () => {
  redis = connect();
  h = await engineHarness(redis, prefix, new FlakyStore(redis, prefix));
  expect(visible((await h.send(command("U-a", { channel: "C-ML" }, "setup"), { directory }))[0]!)).toMatch(
    /is now a team/,
  );
  await h.send(command("U-z", { channel: "C-OTHER" }, "setup"), { directory });
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const isQuestion = (r: Reply) => choices(r).length > 0;
const session = async (user: string, r: Reply): Promise<Session | undefined> => {
  const v = button(r, "Skip").value as unknown as { t: string; r: string };
  return h.store.getSession(TENANT, v.t, v.r, user);
};
async function firstQuestion(user: string): Promise<Reply> {
  const replies = await h.send(command(user, DM, "assess"));
  const q = replies.find(isQuestion);
  if (!q) throw new Error(`no question in ${replies.map(visible).join(" / ")}`);
  return q;
}

describe("double clicks", () => {
  it("a second click on Skip of the same question does not skip the next one", async () => {
    const q1 = await firstQuestion("U-b");
    const skip = button(q1, "Skip");
    const [first] = await h.send(click("U-b", skip));
    expect(visible(first!)).toMatch(/Question 2\//);
    const [second] = await h.send(click("U-b", skip));
    expect(second!.private).toBe(true);
    expect(visible(second!)).not.toMatch(/Question 3\//);
    const s = await session("U-b", q1);
    expect(s?.cursor).toBe(1);
    expect(Object.keys(s!.answers)).toEqual([s!.keys[0]]);
  });

  it("two Skip clicks at once move one question", async () => {
    const q1 = await firstQuestion("U-c");
    const skip = button(q1, "Skip");
    await Promise.all([h.send(click("U-c", skip)), h.send(click("U-c", skip))]);
    const s = await session("U-c", q1);
    expect(s?.cursor).toBe(1);
    expect(Object.values(s!.answers)).toEqual([null]);
  });

  it("a second click on Back goes back one question, not two", async () => {
    const q1 = await firstQuestion("U-d");
    const [q2] = await h.send(click("U-d", button(q1, "Level 2")));
    const [q3] = await h.send(click("U-d", button(q2!, "Level 3")));
    const back = button(q3!, "Back");
    expect(visible((await h.send(click("U-d", back)))[0]!)).toMatch(/Question 2\//);
    const [again] = await h.send(click("U-d", back));
    expect(visible(again!)).not.toMatch(/Question 1\//);
    expect((await session("U-d", q1))?.cursor).toBe(1);
  });

  it("Start clicked twice at once posts one question", async () => {
    const both = await Promise.all([
      h.send(command("U-e", DM, "assess")),
      h.send(command("U-e", DM, "assess")),
    ]);
    expect(both.flat().filter(isQuestion)).toHaveLength(1);
  });
});

describe("button values naming a team the user is not in", () => {
  it("refuses every action privately and changes nothing", async () => {
    const q = await firstQuestion("U-a");
    const own = button(q, "Skip").value as unknown as { t: string; r: string };
    const key = (button(q, "Level 3").value as unknown as { q: string }).q;
    const forged: Button[] = [
      { id: "answer-5", label: "Level 5", value: { action: "answer", level: 5, q: key, t: own.t, r: own.r } },
      { id: "skip", label: "Skip", value: { action: "skip", q: key, t: own.t, r: own.r } },
      { id: "back", label: "Back", value: { action: "back", q: key, t: own.t, r: own.r } },
      { id: "restart", label: "Again", value: { action: "restart", t: own.t, r: own.r, mode: "quick" } },
      { id: "results", label: "Results", value: { action: "results", t: own.t, r: own.r } },
      { id: "roadmap", label: "Roadmap", value: { action: "roadmap", t: own.t } },
      { id: "status", label: "Status", value: { action: "status", t: own.t } },
      { id: "assess", label: "Start", value: { action: "assess", t: own.t } },
    ];
    for (const b of forged) {
      const replies = await h.send(click("U-z", b));
      expect(replies).toHaveLength(1);
      expect(replies[0]!.private).toBe(true);
      expect(visible(replies[0]!)).toMatch(/not a member of/);
    }
    expect(await h.store.getSession(TENANT, own.t, own.r, "U-z")).toBeUndefined();
    expect((await h.store.getTeam(TENANT, own.t))?.members).not.toContain("U-z");
  });
});

describe("storage failing after an answer was saved", () => {
  it("says the answer was saved and offers to continue", async () => {
    const q1 = await firstQuestion("U-c");
    failPrevious = true;
    let replies: Reply[];
    try {
      replies = await h.send(click("U-c", button(q1, "Level 4")));
    } finally {
      failPrevious = false;
    }
    const text = visible(replies[0]!);
    expect(text).toMatch(/Saved/);
    expect(text).not.toMatch(/storage isn't answering/);
    expect((await session("U-c", q1))?.cursor).toBe(2);
    const [next] = await h.send(click("U-c", button(replies[0]!, /Continue/)));
    expect(visible(next!)).toMatch(/Question 3\//);
  });
});

describe("teams past the member limit", () => {
  it("setup in a channel with too many members says so and registers nothing", async () => {
    const [r] = await h.send(command("U-h0", { channel: "C-HUGE" }, "setup"), { directory });
    expect(visible(r!)).toMatch(/at most 20,000 members/);
    expect(await h.store.getTeam(TENANT, "C-HUGE")).toBeUndefined();
  });
});
