import { Redis } from "ioredis";
import { QuestionBank } from "../src/core/assessment/bank.js";
import { teamResult } from "../src/core/assessment/results.js";
import type { Directory } from "../src/core/conversation/context.js";
import { ConversationEngine } from "../src/core/conversation/engine.js";
import { systemClock } from "../src/core/conversation/ports.js";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { loadKnowledge } from "../src/core/knowledge/load.js";
import { RedisStore } from "../src/store/redis-store.js";
import { cleanPrefix } from "../test/support/redis.js";
import { benchKnowledgeGrowth } from "./knowledge.js";
import { type BenchRow, compared, median } from "./table.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZES = [20, 200, 2000];
const CALLS = 30;

/**
 * Team-wide reads as teams grow: `status` in the channel, `ask` there (which reads the team's level) and
 * the App Home of a member, for teams of 20, 200 and 2,000 members who all completed the round; beside
 * the way it was done before the round tally (reading every session of the round). Redis memory per
 * member. Each figure the median of 3 runs (each run the median of 30 calls).
 */
export async function benchGrowth(): Promise<BenchRow[]> {
  const { kb } = await loadKnowledge();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `mbbench-growth-${process.pid}`;
  const store = new RedisStore(redis, prefix);
  const bank = new QuestionBank(kb);
  const engine = new ConversationEngine({
    store,
    knowledge: new AnswerEngine(kb),
    bank,
    clock: systemClock,
    defaultTimezone: "UTC",
  });
  const rows: BenchRow[] = [];
  try {
    for (const size of SIZES) {
      const tenant = `G${size}`;
      const members = Array.from({ length: size }, (_, i) => `U${i}`);
      const directory: Directory = { channelMembers: async () => members };
      const channel = { id: `C${size}`, kind: "channel" as const };
      const base = { platform: "playground" as const, tenant, user: { id: "U0" }, channel };
      await engine.handle({ ...base, type: "command", name: "setup", args: "" }, { directory });
      await engine.handle({ ...base, type: "command", name: "round", args: "start" }, { directory });
      const round = await store.openRoundOf(tenant, channel.id);
      if (!round) throw new Error("no round opened");
      const keys = bank.keys("full");
      const now = new Date().toISOString();
      for (let i = 0; i < size; i += 100) {
        await Promise.all(
          members.slice(i, i + 100).map((userId, j) =>
            store.saveSession(
              {
                tenant,
                teamId: channel.id,
                round: round.id,
                userId,
                mode: "full",
                keys,
                answers: Object.fromEntries(keys.map((k, q) => [k, ((i + j + q) % 5) + 1])),
                cursor: keys.length,
                status: "completed",
                startedAt: now,
                completedAt: now,
                version: 1,
              },
              0,
            ),
          ),
        );
      }
      const timed = async (what: () => Promise<unknown>) => {
        const runs: number[] = [];
        for (let run = 0; run < 3; run++) {
          const calls: number[] = [];
          for (let c = 0; c < CALLS; c++) {
            const t = performance.now();
            await what();
            calls.push(performance.now() - t);
          }
          runs.push(median(calls));
        }
        return runs;
      };
      const status = await timed(() =>
        engine.handle({ ...base, type: "command", name: "status", args: "" }, { directory }),
      );
      const everySession = await timed(async () => {
        const sessions = await store.sessionsOf(tenant, channel.id, round.id);
        teamResult(
          sessions.filter((s) => s.status === "completed").map((s) => s.answers),
          size,
          bank,
        );
      });
      const ask = await timed(() =>
        engine.handle(
          { ...base, type: "command", name: "ask", args: "what are our next steps?" },
          { directory },
        ),
      );
      const home = await timed(() =>
        engine.deps.store.teamsOf(tenant, "U1").then(async () => {
          const { homeBlocks } = await import("../src/core/conversation/home.js");
          return homeBlocks(engine.deps, { kind: "member", platform: "playground", tenant, userId: "U1" });
        }),
      );
      const baseline = { name: "team result from every session", runs: everySession };
      rows.push(
        compared(
          `status, ${size} members`,
          "ms",
          status,
          baseline,
          size === 2000 ? { text: "< 20 ms", ok: (v) => v < 20 } : undefined,
        ),
        compared(`ask in the team channel, ${size} members`, "ms", ask, baseline),
        compared(`App Home, ${size} members`, "ms", home, baseline),
      );
      let bytes = 0;
      let cursor = "0";
      do {
        const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:{${tenant}}:*`, "COUNT", 1000);
        cursor = next;
        for (const key of found) bytes += Number((await redis.memory("USAGE", key)) ?? 0);
      } while (cursor !== "0");
      rows.push({
        name: `Redis memory per member, ${size} members`,
        value: bytes / size / 1024,
        unit: "KiB",
      });
    }
  } finally {
    await cleanPrefix(redis, prefix);
    await redis.quit();
  }
  rows.push(...(await benchKnowledgeGrowth()));
  return rows;
}
