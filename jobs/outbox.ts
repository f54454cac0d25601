import type { Job } from "bullmq";
import { periodOf } from "../src/core/assessment/schedule.js";
import { roundClosedReply } from "../src/core/conversation/notices.js";
import type { OutboxEntry } from "../src/core/conversation/ports.js";
import { teamLabel } from "../src/core/conversation/views.js";
import { closeRound, compare, scheduleOf } from "../src/core/rounds/lifecycle.js";
import { encodeReply } from "./codec.js";
import type { JobDeps } from "./context.js";
import { drainData, jobId } from "./queues.js";
import { deliverLater } from "./rounds.js";

const BATCH = 100;
/** The digest waits this long after a round closes, so that teams closing together share one digest. */
export const DIGEST_DELAY_MS = 60 * 60 * 1000;

/**
 * Carries out what the core wrote to a tenant's outbox, then removes it. Each entry's work is idempotent
 * (job ids), so an entry handled twice (a crash before the removal) adds nothing.
 */
export async function drainJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant } = drainData.parse(job.data);
  let handled = 0;
  for (let round = 0; round < 50; round++) {
    const entries = await deps.store.outbox(tenant, BATCH);
    if (entries.length === 0) break;
    for (const entry of entries) await handle(deps, tenant, entry);
    await deps.store.ackOutbox(tenant, entries.length);
    handled += entries.length;
  }
  return `handled ${handled}`;
}

async function handle(deps: JobDeps, tenant: string, entry: OutboxEntry): Promise<void> {
  const team = await deps.store.getTeam(tenant, entry.teamId);
  if (!team) return;
  if (entry.type === "completed") {
    // The last member to complete closes the round.
    const open = await deps.store.openRoundOf(tenant, team.id);
    if (open?.id !== entry.round) return;
    const sessions = await deps.store.sessionsOf(tenant, team.id, open.id);
    const done = new Set(sessions.filter((s) => s.status === "completed").map((s) => s.userId));
    const expected = open.members.filter((m) => team.members.includes(m));
    if (expected.length > 0 && expected.every((m) => done.has(m))) {
      await closeRound(deps, team, "all-completed", open.id);
    }
    return;
  }
  const round = await deps.store.getRound(tenant, team.id, entry.round);
  if (!round?.result) return;
  const previous = (await deps.store.roundsOf(tenant, team.id))
    .filter((r) => r.result && r.id !== round.id && r.openedAt < round.openedAt)
    .at(-1);
  const comparison = compare(round, previous);
  const audience = { kind: "channel" as const, platform: team.platform, tenant, channelId: team.id };
  await deliverLater(deps, jobId("summary", tenant, team.id, round.id), {
    kind: "summary",
    target: { platform: team.platform, tenant, to: { kind: "channel", channel: team.id } },
    reply: encodeReply(roundClosedReply(deps, audience, team, comparison)),
    label: teamLabel(team),
  });
  const settings = await deps.store.getSettings(tenant);
  if (settings.digestChannel) {
    const period = periodOf(scheduleOf(team), team.timezone, new Date(round.openedAt)).id;
    await deps.queues.rounds.add(
      "digest",
      { tenant, reason: `round ${period}` },
      { jobId: jobId("digest", tenant, period), delay: DIGEST_DELAY_MS },
    );
  }
}
