import { cronPattern, nextOpening } from "../src/core/assessment/schedule.js";
import type { Team } from "../src/core/conversation/ports.js";
import { scheduleOf } from "../src/core/rounds/lifecycle.js";
import type { RedisStore } from "../src/store/redis-store.js";
import { QUEUE, type Queues, schedulerId } from "./queues.js";

/**
 * One BullMQ job scheduler per team: a cron pattern read in the team's time zone. Upserting with the
 * team's id replaces a changed schedule instead of adding a second one.
 */
export async function syncScheduler(
  queues: Queues,
  store: RedisStore,
  team: Team,
  now = new Date(),
): Promise<void> {
  const schedule = scheduleOf(team);
  await queues.rounds.upsertJobScheduler(
    schedulerId(team.tenant, team.id),
    { pattern: cronPattern(schedule), tz: team.timezone },
    { name: "open-round", data: { tenant: team.tenant, teamId: team.id, by: "schedule" } },
  );
  await store.setNextOpening(team.tenant, team.id, nextOpening(schedule, team.timezone, now).opensAt);
}

export async function removeScheduler(queues: Queues, tenant: string, teamId: string): Promise<void> {
  await queues.rounds.removeJobScheduler(schedulerId(tenant, teamId));
}

/** Makes sure every team has its scheduler (at a worker's start: teams made while no worker ran). */
export async function reconcileSchedulers(queues: Queues, store: RedisStore): Promise<number> {
  let count = 0;
  for (const tenant of await store.tenants()) {
    for (const teamId of await store.teamIds(tenant)) {
      const team = await store.getTeam(tenant, teamId);
      if (!team) continue;
      await syncScheduler(queues, store, team);
      count++;
    }
  }
  return count;
}

/** An offset ISO 8601 time in a zone: "2027-01-01T09:00:00+01:00". */
export function isoInZone(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? "-" : "+";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${hh}:${mm}`;
}

export interface JobsStatus {
  schedulers: { tenant: string; team: string; timezone: string; next: string }[];
  queues: Record<string, { waiting: number; active: number; delayed: number; failed: number }>;
  deadLetters: number;
}

/** What `npm run jobs -- status` prints (the contract's shape). */
export async function jobsStatus(queues: Queues, store: RedisStore, now = new Date()): Promise<JobsStatus> {
  const schedulers: JobsStatus["schedulers"] = [];
  let deadLetters = 0;
  const existing = new Set((await queues.rounds.getJobSchedulers(0, -1)).map((s) => s.key ?? s.id ?? ""));
  for (const tenant of await store.tenants()) {
    deadLetters += (await store.deadLetters(tenant)).length;
    for (const teamId of await store.teamIds(tenant)) {
      const team = await store.getTeam(tenant, teamId);
      if (!team || !existing.has(schedulerId(tenant, teamId))) continue;
      const next = nextOpening(scheduleOf(team), team.timezone, now).opensAt;
      schedulers.push({
        tenant,
        team: teamId,
        timezone: team.timezone,
        next: isoInZone(next, team.timezone),
      });
    }
  }
  const counts: JobsStatus["queues"] = {};
  for (const [name, queue] of [
    [QUEUE.rounds, queues.rounds],
    [QUEUE.outbox, queues.outbox],
    [QUEUE.deliveries, queues.deliveries],
  ] as const) {
    const c = await queue.getJobCounts("waiting", "active", "delayed", "failed");
    counts[name] = {
      waiting: c.waiting ?? 0,
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }
  return { schedulers, queues: counts, deadLetters };
}
