import type { Effect } from "../core/conversation/context.js";
import type { Platform } from "../core/notify.js";
import { noteRequest } from "../observability/context.js";
import { confidenceBucket, type Metrics } from "../observability/metrics.js";

/**
 * What every adapter records of one handled event, once: the request log's platform and tenant, the
 * event counter and latency, and what the engine's effects say (assessments started and completed,
 * knowledge answers by intent and confidence).
 */
export function observeTurn(
  metrics: Metrics,
  turn: { platform: Platform; tenant: string; type: string; seconds: number; effects: readonly Effect[] },
): void {
  const { platform } = turn;
  noteRequest({ platform, tenant: turn.tenant });
  metrics.events.inc({ platform, type: turn.type });
  metrics.latency.observe(turn.seconds, { platform });
  for (const effect of turn.effects) {
    if (effect.type === "assessment-started") metrics.assessmentsStarted.inc({ platform });
    if (effect.type === "assessment-completed") metrics.assessments.inc({ platform });
    if (effect.type === "knowledge-answered") {
      metrics.knowledgeAnswers.inc({
        intent: effect.intent,
        confidence: confidenceBucket(effect.confidence),
      });
    }
  }
}
