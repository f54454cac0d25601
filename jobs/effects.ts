import type { Effect } from "../src/core/conversation/context.js";
import { currentRequest } from "../src/observability/context.js";
import type { RedisStore } from "../src/store/redis-store.js";
import { jobId, type Queues } from "./queues.js";
import { syncScheduler } from "./schedulers.js";

/**
 * What the web side does with the engine's effects: it only enqueues (the workers do the work). Each job
 * id names its work, so the same effect carried out twice adds nothing.
 */
export async function enqueueEffects(
  queues: Queues,
  store: RedisStore,
  effects: readonly Effect[],
  now = new Date(),
): Promise<void> {
  const drains = new Set<string>();
  // The request that caused the work travels with it, so the worker's log lines carry the same id.
  const requestId = currentRequest()?.requestId;
  const traced = <T extends object>(data: T): T => (requestId ? { ...data, requestId } : data);
  for (const effect of effects) {
    switch (effect.type) {
      case "round-opened":
        // A member's `assess` opens a round without nudging everyone; a lead's round start nudges.
        await queues.rounds.add(
          "nudge-round",
          traced({
            tenant: effect.tenant,
            teamId: effect.teamId,
            round: effect.round,
            immediate: true,
            nudge: effect.by !== "member",
          }),
          {
            jobId: jobId(
              effect.by === "member" ? "round-work" : "nudge-round",
              effect.tenant,
              effect.teamId,
              effect.round,
            ),
          },
        );
        break;
      case "nudge-requested":
        await queues.rounds.add(
          "nudge-round",
          traced({ tenant: effect.tenant, teamId: effect.teamId, round: effect.round, immediate: true }),
          {
            jobId: jobId(
              "nudge-round",
              effect.tenant,
              effect.teamId,
              effect.round,
              String(Math.floor(now.getTime() / 10_000)),
            ),
          },
        );
        break;
      case "remind-requested":
        await queues.rounds.add(
          "remind",
          traced({
            tenant: effect.tenant,
            teamId: effect.teamId,
            round: effect.round,
            immediate: true,
            slot: `lead-${now.getTime()}`,
          }),
          // Two clicks of `remind` within a minute send one reminder.
          {
            jobId: jobId(
              "remind",
              effect.tenant,
              effect.teamId,
              effect.round,
              `lead-${Math.floor(now.getTime() / 60_000)}`,
            ),
          },
        );
        break;
      case "round-closed":
      case "assessment-completed":
        drains.add(effect.tenant);
        break;
      case "digest-requested":
        await queues.rounds.add("digest", traced({ tenant: effect.tenant, reason: "digest now" }), {
          jobId: jobId("digest-now", effect.tenant, String(Math.floor(now.getTime() / 60_000))),
        });
        break;
      case "dead-letter-retry":
        await queues.deliveries.add("deliver", JSON.parse(effect.letter.payload), {
          jobId: jobId("retry", effect.tenant, effect.letter.id, String(now.getTime())),
        });
        break;
      case "team-registered":
      case "team-changed": {
        if (effect.type === "team-changed" && effect.what !== "schedule") break;
        const team = await store.getTeam(effect.tenant, effect.teamId);
        if (team) await syncScheduler(queues, store, team, now);
        break;
      }
      default:
        break;
    }
  }
  for (const tenant of drains) await queues.drain(tenant);
}
