import type { Job } from "bullmq";
import { afterDays, isOpeningDue, nextOpening } from "../src/core/assessment/schedule.js";
import { nudgeReply, reminderReply } from "../src/core/conversation/notices.js";
import type { Round, Team } from "../src/core/conversation/ports.js";
import { closeRound, openRound, scheduleOf } from "../src/core/rounds/lifecycle.js";
import { encodeReply } from "./codec.js";
import { delayToWorkingHours, type JobDeps, msUntil, workingHoursDelay } from "./context.js";
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
  const { tenant, id: teamId } = team;
  const waiting = await notCompleted(deps, team, round);
  // Preferences read together and the nudges added in one bulk call per team (ids still dedupe).
  const prefs = await Promise.all(waiting.map((m) => deps.store.getPrefs(tenant, m)));
  const jobs = [];
  for (const [i, member] of waiting.entries()) {
    if (prefs[i]!.optedOut) continue;
    const data: DeliverData = {
      kind: "nudge",
      target: { platform: team.platform, tenant, to: { kind: "dm", user: member } },
      reply: encodeReply(nudgeReply(team, round, member)),
      label: `a direct message to ${member}`,
      unlessDone: { teamId, round: round.id, userId: member },
    };
    const delay = immediate ? 0 : delayToWorkingHours(deps, prefs[i]!.timezone ?? team.timezone);
    jobs.push({
      name: "deliver",
      data,
      opts: { jobId: jobId("nudge", tenant, teamId, round.id, member), delay },
    });
  }
  for (let i = 0; i < jobs.length; i += 500) await deps.queues.deliveries.addBulk(jobs.slice(i, i + 500));
  await scheduleRoundWork(deps, team, round);
  return waiting.length;
}

/** The reminder days and the close at the deadline, once per round. */
export async function scheduleRoundWork(deps: JobDeps, team: Team, round: Round): Promise<void> {
  const { tenant, id: teamId } = team;
  for (const day of scheduleOf(team).reminderDays) {
    const at = afterDays(new Date(round.openedAt), day, team.timezone);
    if (at.getTime() >= Date.parse(round.deadline)) continue;
    await deps.queues.rounds.add(
      "remind",
      { tenant, teamId, round: round.id, immediate: false, slot: `day-${day}` },
      {
        jobId: jobId("remind", tenant, teamId, round.id, `day-${day}`),
        delay: msUntil(deps, at.toISOString()),
      },
    );
  }
  await deps.queues.rounds.add(
    "close-round",
    { tenant, teamId, round: round.id },
    { jobId: jobId("close", tenant, teamId, round.id), delay: msUntil(deps, round.deadline) },
  );
}

async function notCompleted(deps: JobDeps, team: Team, round: Round): Promise<string[]> {
  const sessions = await deps.store.sessionsOf(team.tenant, team.id, round.id);
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
  const sent = await deps.store.noticesOf(tenant, teamId, round, "reminder");
  const now = deps.clock.now().getTime();
  let queued = 0;
  for (const member of await notCompleted(deps, team, open)) {
    const prefs = await deps.store.getPrefs(tenant, member);
    if (prefs.optedOut || (prefs.snoozedUntil && Date.parse(prefs.snoozedUntil) > now)) continue;
    if ((sent[member] ?? 0) >= 2) continue;
    const inProgress = sessions.some((s) => s.userId === member && s.status === "in-progress");
    await deliverLater(
      deps,
      jobId("reminder", tenant, teamId, round, member, slot),
      {
        kind: "reminder",
        target: { platform: team.platform, tenant, to: { kind: "dm", user: member } },
        reply: encodeReply(reminderReply(team, open, member, inProgress)),
        label: `a direct message to ${member}`,
        unlessDone: { teamId, round, userId: member },
      },
      immediate ? 0 : await workingHoursDelay(deps, team, member),
    );
    queued++;
  }
  return `reminded ${queued}`;
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
