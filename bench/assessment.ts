import { Redis } from "ioredis";
import { QuestionBank } from "../src/core/assessment/bank.js";
import type { Directory } from "../src/core/conversation/context.js";
import { ConversationEngine } from "../src/core/conversation/engine.js";
import { systemClock } from "../src/core/conversation/ports.js";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { loadKnowledge } from "../src/core/knowledge/load.js";
import type { Button, Reply } from "../src/core/reply.js";
import { RedisStore } from "../src/store/redis-store.js";
import { type BenchRow, percentile } from "./table.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Answer clicks and team status through the real engine and a real Redis (127.0.0.1). */
export async function benchAssessment(): Promise<BenchRow[]> {
  const { kb } = await loadKnowledge();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `mbbench-${process.pid}`;
  const engine = new ConversationEngine({
    store: new RedisStore(redis, prefix),
    knowledge: new AnswerEngine(kb),
    bank: new QuestionBank(kb),
    clock: systemClock,
    defaultTimezone: "UTC",
  });
  const members = Array.from({ length: 200 }, (_, i) => `U${i}`);
  const directory: Directory = { channelMembers: async () => members };
  const base = (user: string, channel: { id: string; kind: "dm" | "channel" }) => ({
    platform: "playground" as const,
    tenant: "bench",
    user: { id: user },
    channel,
  });
  const team = { id: "C-bench", kind: "channel" as const };
  try {
    await engine.handle({ ...base("U0", team), type: "command", name: "setup", args: "" }, { directory });
    const clicks: number[] = [];
    const starts: number[] = [];
    const t0 = performance.now();
    // Members answer concurrently, 20 at a time, like a busy channel after a nudge.
    for (let batch = 0; batch < members.length; batch += 20) {
      await Promise.all(
        members.slice(batch, batch + 20).map(async (user, i) => {
          let t = performance.now();
          let [reply] = (
            await engine.handle({ ...base(user, team), type: "command", name: "assess", args: "" })
          ).replies.filter((r) => r.progress) as Reply[];
          starts.push(performance.now() - t);
          while (reply?.progress) {
            const choice = levelButton(reply, ((i + (reply.progress.current ?? 0)) % 5) + 1);
            t = performance.now();
            [reply] = (
              await engine.handle({
                ...base(user, { id: `D-${user}`, kind: "dm" }),
                type: "action",
                actionId: choice.id,
                value: choice.value,
              })
            ).replies;
            clicks.push(performance.now() - t);
          }
        }),
      );
    }
    const wall = performance.now() - t0;
    const statusTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await engine.handle({ ...base("U1", team), type: "command", name: "status", args: "" });
      statusTimes.push(performance.now() - t);
    }
    clicks.sort((a, b) => a - b);
    starts.sort((a, b) => a - b);
    statusTimes.sort((a, b) => a - b);
    return [
      {
        name: `answer click p50 (${clicks.length} clicks, 20 users at once)`,
        value: percentile(clicks, 50),
        unit: "ms",
      },
      {
        name: "answer click p99",
        value: percentile(clicks, 99),
        unit: "ms",
        target: "< 100 ms",
        ok: percentile(clicks, 99) < 100,
      },
      { name: "start assessment p99", value: percentile(starts, 99), unit: "ms" },
      { name: "clicks per second (whole run)", value: clicks.length / (wall / 1000), unit: "/s" },
      {
        name: "team status p99 (200 members, all answered)",
        value: percentile(statusTimes, 99),
        unit: "ms",
        target: "< 250 ms",
        ok: percentile(statusTimes, 99) < 250,
      },
    ];
  } finally {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  }
}

function levelButton(reply: Reply, level: number): Button {
  for (const block of reply.blocks) {
    if (block.type === "choices") {
      const found = block.choices.find((c) => c.value.level === level);
      if (found) return found;
    }
  }
  throw new Error("no answer button");
}
