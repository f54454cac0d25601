import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobId, Queues, queuePrefix, schedulerId } from "../../../jobs/queues.js";
import { cleanPrefix, connect, testPrefix } from "../../support/redis.js";

/** The queues' names, key prefix, job ids and the options every job gets, against a real Redis. */

describe("job ids and keys", () => {
  it("names a job by its parts, each URI-encoded so that no ':' or '|' reaches BullMQ", () => {
    expect(jobId("nudge", "T-1", "C:1", "2026-Q4", "U|2")).toBe("nudge|T-1|C%3A1|2026-Q4|U%7C2");
    expect(jobId("drain")).toBe("drain");
    expect(schedulerId("T 1", "C-1")).toBe("open|T%201|C-1");
  });

  it("keeps every queue key under one hash tag", () => {
    expect(queuePrefix("mb")).toBe("mb:{jobs}");
  });
});

describe("Queues", () => {
  let prefix: string;
  let redis: ReturnType<typeof connect>;
  const opened: Queues[] = [];
  beforeEach(() => {
    prefix = testPrefix("queues");
    redis = connect();
  });
  afterEach(async () => {
    for (const q of opened.splice(0)) await q.close();
    await cleanPrefix(redis, prefix);
    await redis.quit();
  });
  const queues = (settings: Partial<ConstructorParameters<typeof Queues>[0]> = {}) => {
    const q = new Queues({ keyPrefix: prefix, connection: redis, ...settings });
    opened.push(q);
    return q;
  };

  it("has the three queues under the prefix's hash tag", async () => {
    const q = queues();
    expect(q.all().map((x) => [x.name, x.opts.prefix])).toEqual([
      ["rounds", `${prefix}:{jobs}`],
      ["outbox", `${prefix}:{jobs}`],
      ["deliveries", `${prefix}:{jobs}`],
    ]);
    expect([q.rounds.name, q.outbox.name, q.deliveries.name]).toEqual(["rounds", "outbox", "deliveries"]);
    await q.deliveries.add("deliver", {}, { jobId: "x" });
    expect(await redis.exists(`${prefix}:{jobs}:deliveries:x`)).toBe(1);
  });

  it("gives every job 6 attempts, exponential backoff from 2 s with jitter, and keeps it 400 days", async () => {
    const q = queues();
    const job = await q.rounds.add("digest", {}, { jobId: "j" });
    expect(job.opts).toMatchObject({
      attempts: 6,
      backoff: { type: "exponential", delay: 2000, jitter: 0.5 },
      removeOnComplete: { age: 34_560_000 },
      removeOnFail: { age: 34_560_000 },
    });
  });

  it("takes the attempts and first backoff from its settings", async () => {
    const q = queues({ attempts: 2, backoffMs: 75 });
    const job = await q.outbox.add("drain", {}, { jobId: "k" });
    expect(job.opts).toMatchObject({ attempts: 2, backoff: { type: "exponential", delay: 75, jitter: 0.5 } });
  });

  it("tells about a queue's connection problems", () => {
    const seen: string[] = [];
    const q = queues({ onError: (e) => seen.push(e.message) });
    q.deliveries.emit("error", new Error("Redis away"));
    q.rounds.emit("error", new Error("again"));
    expect(seen).toEqual(["Redis away", "again"]);
  });

  it("survives a connection problem nobody asked to hear about", () => {
    const q = queues();
    expect(() => q.outbox.emit("error", new Error("Redis away"))).not.toThrow();
  });

  it("closes all three queues", async () => {
    const q = new Queues({ keyPrefix: prefix, connection: redis });
    expect(q.all().map((x) => x.closing)).toEqual([undefined, undefined, undefined]);
    await q.close();
    expect(q.all().every((x) => x.closing instanceof Promise)).toBe(true);
  });

  it("keeps one drain per tenant waiting, removed once done, delayed as asked", async () => {
    const q = queues();
    await q.drain("T-1");
    await q.drain("T-1");
    await q.drain("T-2", 5000);
    const jobs = (await q.outbox.getJobs(["waiting", "delayed"])).sort((a, b) =>
      String(a.id).localeCompare(String(b.id)),
    );
    expect(jobs.map((j) => [j.id, j.name, j.data, j.opts.delay ?? 0])).toEqual([
      ["drain|T-1", "drain", { tenant: "T-1" }, 0],
      ["drain|T-2", "drain", { tenant: "T-2" }, 5000],
    ]);
    expect(jobs[0]!.opts).toMatchObject({ removeOnComplete: true, removeOnFail: true });
  });
});
