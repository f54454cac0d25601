import type { Server } from "node:http";
import type { JobDeps } from "../jobs/context.js";
import { enqueueEffects } from "../jobs/effects.js";
import { Queues } from "../jobs/queues.js";
import { startWorkers, type Workers } from "../jobs/worker.js";
import { playgroundRoutes } from "./adapters/playground/handler.js";
import { PlaygroundNotifier } from "./adapters/playground/notifier.js";
import { createSlackAdapter, type SlackAdapter } from "./adapters/slack/index.js";
import type { Config } from "./config/index.js";
import { QuestionBank } from "./core/assessment/bank.js";
import type { Effect } from "./core/conversation/context.js";
import { ConversationEngine } from "./core/conversation/engine.js";
import { type Clock, systemClock } from "./core/conversation/ports.js";
import { AnswerEngine } from "./core/knowledge/answer.js";
import { loadKnowledge } from "./core/knowledge/load.js";
import { formatIssue } from "./core/knowledge/types.js";
import { Notifiers } from "./core/notify.js";
import { healthRoutes, metricsRoute } from "./http/health.js";
import { closeServer, createHttpServer, type Route } from "./http/server.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { Metrics } from "./observability/metrics.js";
import { createRedisClient, type RedisClient } from "./store/client.js";
import { RedisStore } from "./store/redis-store.js";

export interface App {
  server: Server;
  /** Serves only /metrics, when METRICS_PORT is set (main.ts listens on it). */
  metricsServer?: Server;
  redis: RedisClient;
  engine: ConversationEngine;
  store: RedisStore;
  /** Proactive senders per platform (nudges, summaries, digests). */
  notifiers: Notifiers;
  metrics: Metrics;
  logger: Logger;
  /** The Slack adapter, when Slack is configured. */
  slack?: SlackAdapter;
  /** The queues (every role enqueues) and, for ROLE=worker or all, this process's workers. */
  jobs: { queues: Queues; deps: JobDeps; workers?: Workers };
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  /** Extra routes (tests). */
  routes?: Route[];
  /** Run queue workers in this process (default: unless ROLE=web). */
  workers?: boolean;
  /** First retry delay of a failed delivery (tests make it short). */
  backoffMs?: number;
}

/** The composition root: config in, a wired HTTP server out. It does not listen; main.ts does. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { kb, issues } = await loadKnowledge();
  if (issues.length > 0) {
    throw new Error(
      `the knowledge base has ${issues.length} problem(s), first: ${formatIssue(issues[0]!)} (run npm run kb:check)`,
    );
  }
  // One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES); every client below follows the config.
  const redis = createRedisClient(config, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastRedisError = "";
  redis.on("error", (error: Error) => {
    if (error.message !== lastRedisError) logger.warn("Redis connection problem", { error: error.message });
    lastRedisError = error.message;
  });
  redis.on("ready", () => {
    if (lastRedisError) logger.info("Redis connection restored");
    lastRedisError = "";
  });

  const metrics = new Metrics({ defaults: true });
  const clock = options.clock ?? systemClock;
  const store = new RedisStore(redis, config.keyPrefix, logger);
  const knowledge = new AnswerEngine(kb);
  const engine = new ConversationEngine({
    store,
    knowledge,
    bank: new QuestionBank(kb),
    clock,
    defaultTimezone: config.defaultTimezone,
  });
  const notifiers = new Notifiers();
  // Queues get a connection of their own; a worker's blocking connection must wait for Redis forever.
  const queueRedis = createRedisClient(config, { maxRetriesPerRequest: 1, connectTimeout: 3000 });
  queueRedis.on("error", () => undefined);
  let lastQueueError = "";
  const queues = new Queues({
    keyPrefix: config.keyPrefix,
    connection: queueRedis,
    onError: (error) => {
      if (error.message !== lastQueueError) logger.warn("queue connection problem", { error: error.message });
      lastQueueError = error.message;
    },
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
  });
  const onEffects = (effects: readonly Effect[]) => enqueueEffects(queues, store, effects, clock.now());

  const knowledgeLoaded = kb.pages.length > 0;
  const routes: Route[] = [healthRoutes({ redis, knowledgeLoaded: () => knowledgeLoaded })];
  if (config.metricsPort === undefined) routes.push(metricsRoute(metrics));
  routes.push(...(options.routes ?? []));
  // The playground's own notifier: every process can deliver to its inbox (workers included).
  const inbox = new PlaygroundNotifier(redis, config.keyPrefix);
  notifiers.register("playground", inbox);
  if (config.playground) {
    routes.push(playgroundRoutes(engine, config.defaultTimezone, { logger, metrics, onEffects, inbox }));
  }
  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = await createSlackAdapter(config.slack, {
      engine,
      redis,
      keys: store.keys,
      logger,
      metrics,
      logLevel: config.logLevel,
      onEffects,
    });
    if (slack.route) routes.push(slack.route);
    notifiers.register("slack", slack.notifier);
    // Socket Mode is the "web" side of Slack: it connects out instead of serving /slack/events.
    if (config.role !== "worker") await slack.start();
  }
  // Teams: authenticated with credentials; without them, outside production, local unauthenticated
  // traffic only (the Agents Playground, tests).
  if (config.teams || !config.production) {
    // Loaded only where Teams is served: botbuilder is about 50 MB a Slack-only process never pays.
    const { createTeamsAdapter } = await import("./adapters/teams/index.js");
    const teams = createTeamsAdapter(config.teams, {
      engine,
      redis,
      keyPrefix: config.keyPrefix,
      logger,
      metrics,
      onEffects,
    });
    routes.push(teams.route);
    notifiers.register("teams", teams.notifier);
  }
  const server = createHttpServer(routes, logger, metrics);
  const jobDeps: JobDeps = { ...engine.deps, store, notifier: notifiers, queues, logger, metrics };
  let workers: Workers | undefined;
  if (options.workers ?? config.role !== "web") {
    const workerRedis = createRedisClient(config, { maxRetriesPerRequest: null });
    workerRedis.on("error", () => undefined);
    workers = await startWorkers(jobDeps, {
      settings: { ...queues.settings, connection: workerRedis },
      ...(config.jobsLockMs
        ? {
            lockDuration: config.jobsLockMs,
            stalledInterval: Math.max(500, Math.round(config.jobsLockMs / 2)),
          }
        : {}),
    });
  }
  const metricsServer =
    config.metricsPort === undefined ? undefined : createHttpServer([metricsRoute(metrics)], logger);

  return {
    server,
    metricsServer,
    redis,
    engine,
    store,
    notifiers,
    metrics,
    logger,
    slack,
    jobs: { queues, deps: jobDeps, ...(workers ? { workers } : {}) },
    async close() {
      await Promise.all([server, metricsServer].map((s) => s && closeServer(s)));
      await slack?.stop();
      await workers?.close();
      await queues.close();
      queueRedis.disconnect();
      server.closeAllConnections?.();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
