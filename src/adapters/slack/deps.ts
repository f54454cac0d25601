import type { Effect } from "../../core/conversation/context.js";
import type { ConversationEngine } from "../../core/conversation/engine.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import type { Deliverer } from "./deliver.js";
import type { UserCache } from "./users.js";
import type { Work } from "./work.js";

/** What every listener needs; built once in index.ts. */
export interface SlackDeps {
  engine: ConversationEngine;
  logger: Logger;
  metrics: Metrics;
  users: UserCache;
  deliverer: Deliverer;
  work: Work;
  /** Carries out what the engine decided beyond its replies (the jobs: nudges, summaries). */
  onEffects?: (effects: readonly Effect[]) => Promise<void>;
}
