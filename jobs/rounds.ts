import type { Job, Queue } from "bullmq";
import { afterDays, isOpeningDue, nextOpening } from "../src/core/assessment/schedule.js";
import { nudgeReply, reminderReply } from "../src/core/conversation/notices.js";
import type { Round, Session, Team } from "../src/core/conversation/ports.js";
import type { Reply } from "../src/core/reply.js";
import { closeRound, openRound, scheduleOf } from "../src/core/rounds/lifecycle.js";
import { encodeReply } from "./codec.js";
import { delayToWorkingHours, type JobDeps, msUntil } from "./context.js";
import {
  closeRoundData,
  type DeliverData,
  jobId,
  nudgeRoundData,
  openRoundData,
  remindData,
} from "./queues.js";

/** The scheduler's firing (or an operator's `run --now`): opens the team's round and nudges its members. */
export async function openRoundJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant, teamId, by } = openRoundData.parse(job.data);
  const team = await deps.store.getTeam(tenant, teamId);
  if (!team) return "no such team";
  const now = deps.clock.now();
  await deps.store.setNextOpening(tenant, teamId, nextOpening(scheduleOf(team), team.timezone, now).opensAt);
  if (by === "schedule" && !isOpeningDue(scheduleOf(team), team.timezone, now)) return "not the opening day";
  const outcome = await openRound(deps, team, by === "schedule" ? "schedule" : "lead", now);
  if (outcome.status === "opened" && outcome.closed?.status === "closed") await deps.queues.drain(tenant);
  if (outcome.status === "already-done") return `already done: ${outcome.round.id}`;
  await nudgeMembers(deps, team, outcome.round, by !== "schedule");
  return `${outcome.status}: ${outcome.round.id}`;
}

/** A lead's `round start` (or a round opened by the engine): nudge whoever was not nudged yet. */
export async function nudgeRoundJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant, teamId, round, immediate, nudge } = nudgeRoundData.parse(job.data);
  const team = await deps.store.getTeam(tenant, teamId);
  const open = await deps.store.openRoundOf(tenant, teamId);
  if (!team || open?.id !== round) return "round not open";
  if (!nudge) {
    await scheduleRoundWork(deps, team, open);
    return "scheduled its deadline";
  }
  return `nudged ${await nudgeMembers(deps, team, open, immediate)}`;
}

/**
 * One nudge per member per round (the job id says so), the reminder days and the deadline's close.
 * Scheduled nudges wait for each member's working hours; a lead's are sent at once.
 */
export async function nudgeMembers(
  deps: JobDeps,
  team: Team,
  round: Round,
  immediate: boolean,
): Promise<number> {
  const { jobs, waiting } = await nudgeJobs(deps, team, round, immediate);
  await Promise.all([addDeliveries(deps, jobs), scheduleRoundWork(deps, team, round)]);
  return waiting;
}

/** The nudges of the members who have not completed the round (and did not opt out), as delivery jobs. */
export async function nudgeJobs(
  deps: JobDeps,
  team: Team,
  round: Round,
  immediate: boolean,
): Promise<{ jobs: DeliveryJob[]; waiting: number }> {
  const { tenant, id: teamId } = team;
  const waiting = notCompleted(team, round, await deps.store.sessionsOf(tenant, teamId, round.id));
  const prefs = await deps.store.prefsOf(tenant, waiting);
  const jobs: DeliveryJob[] = [];
  for (const [i, member] of waiting.entries()) {
    const p = prefs[i]!;
    if (p.optedOut) continue;
    jobs.push(
      noticeJob(
        team,
        round,
        member,
        "nudge",
        nudgeReply(team, round, member),
        jobId("nudge", tenant, teamId, round.id, member),
        immediate ? 0 : delayToWorkingHours(deps, p.timezone ?? team.timezone),
      ),
    );
  }
  return { jobs, waiting: waiting.length };
}

/** A delivery job for the deliveries queue's addBulk. */
export type DeliveryJob = { name: "deliver"; data: DeliverData; opts: { jobId: string; delay: number } };

/** A nudge or reminder to a member, as a delivery job: dropped at send time once they are done. */
function noticeJob(
  team: Team,
  round: Round,
  member: string,
  kind: "nudge" | "reminder",
  reply: Reply,
  id: string,
  delay: number,
): DeliveryJob {
  const { tenant, id: teamId } = team;
  return {
    name: "deliver",
    data: {
      kind,
      target: { platform: team.platform, tenant, to: { kind: "dm", user: member } },
      reply: encodeReply(reply),
      label: `a direct message to ${member}`,
      unlessDone: { teamId, round: round.id, userId: member },
    },
    opts: { jobId: id, delay },
  };
}

/** Delivery jobs in bulk: one round trip per 500 (ids still dedupe). */
async function addDeliveries(deps: JobDeps, jobs: DeliveryJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 500) await deps.queues.deliveries.addBulk(jobs.slice(i, i + 500));
}

/** The reminder days and the close at the deadline, once per round, in one round trip. */
export async function scheduleRoundWork(deps: JobDeps, team: Team, round: Round): Promise<void> {
  const { tenant, id: teamId } = team;
  const jobs: Parameters<Queue["addBulk"]>[0] = [];
  for (const day of scheduleOf(team).reminderDays) {
    const at = afterDays(new Date(round.openedAt), day, team.timezone);
    if (at.getTime() >= Date.parse(round.deadline)) continue;
    jobs.push({
      name: "remind",
      data: { tenant, teamId, round: round.id, immediate: false, slot: `day-${day}` },
      opts: {
        jobId: jobId("remind", tenant, teamId, round.id, `day-${day}`),
        delay: msUntil(deps, at.toISOString()),
      },
    });
  }
  jobs.push({
    name: "close-round",
    data: { tenant, teamId, round: round.id },
    opts: { jobId: jobId("close", tenant, teamId, round.id), delay: msUntil(deps, round.deadline) },
  });
  await deps.queues.rounds.addBulk(jobs);
}

/** The round's members still in the team who have not completed. */
function notCompleted(team: Team, round: Round, sessions: readonly Session[]): string[] {
  const done = new Set(sessions.filter((s) => s.status === "completed").map((s) => s.userId));
  const current = new Set(team.members);
  return round.members.filter((m) => current.has(m) && !done.has(m));
}

/** Reminds members who have not completed: at most twice a round, never the snoozed or opted out. */
export async function remindJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant, teamId, round, immediate, slot } = remindData.parse(job.data);
  const team = await deps.store.getTeam(tenant, teamId);
  const open = await deps.store.openRoundOf(tenant, teamId);
  if (!team || open?.id !== round) return "round not open";
  const sessions = await deps.store.sessionsOf(tenant, teamId, round);
  const sent = await deps.store.deliveries.noticesOf(tenant, teamId, round, "reminder");
  const now = deps.clock.now().getTime();
  const waiting = notCompleted(team, open, sessions);
  const prefs = await deps.store.prefsOf(tenant, waiting);
  const jobs: DeliveryJob[] = [];
  for (const [i, member] of waiting.entries()) {
    const p = prefs[i]!;
    if (p.optedOut || (p.snoozedUntil && Date.parse(p.snoozedUntil) > now)) continue;
    if ((sent[member] ?? 0) >= 2) continue;
    const inProgress = sessions.some((s) => s.userId === member && s.status === "in-progress");
    jobs.push(
      noticeJob(
        team,
        open,
        member,
        "reminder",
        reminderReply(team, open, member, inProgress),
        jobId("reminder", tenant, teamId, round, member, slot),
        immediate ? 0 : delayToWorkingHours(deps, p.timezone ?? team.timezone),
      ),
    );
  }
  await addDeliveries(deps, jobs);
  return `reminded ${jobs.length}`;
}

/** The deadline: closes the round once; the outbox then carries its summary. */
export async function closeRoundJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant, teamId, round } = closeRoundData.parse(job.data);
  const team = await deps.store.getTeam(tenant, teamId);
  if (!team) return "no such team";
  const outcome = await closeRound(deps, team, "deadline", round);
  await deps.queues.drain(tenant);
  return outcome.status;
}

export async function deliverLater(deps: JobDeps, id: string, data: DeliverData, delay = 0): Promise<void> {
  await deps.queues.deliveries.add("deliver", data, { jobId: id, delay });
}
