import type { AddressInfo } from "node:net";
import { type App, type AppOptions, createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/observability/logger.js";
import { cleanPrefix, REDIS_URL, testPrefix } from "./redis.js";

export { TestClock } from "./clock.js";

export interface RunningApp extends App {
  url: string;
  prefix: string;
  config: Config;
  /** Closes the app and deletes its keys. */
  stop(): Promise<void>;
}

/** Starts the real app on 127.0.0.1 with its own key prefix; env adds or overrides variables. */
export async function startApp(
  name: string,
  env: Record<string, string> = {},
  options: AppOptions & { prefix?: string } = {},
): Promise<RunningApp> {
  const prefix = options.prefix ?? testPrefix(name);
  // REDIS_CLUSTER_NODES in env replaces the shared Redis (the two may not be set together).
  const redis = env.REDIS_CLUSTER_NODES ? {} : { REDIS_URL };
  const config = loadConfig({ ...redis, KEY_PREFIX: prefix, PORT: "3000", ...env });
  // Queue workers only where a test asks for them: the jobs' own tests drive them.
  const app = await createApp(config, { logger: silentLogger, workers: false, ...options });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const { port } = app.server.address() as AddressInfo;
  return {
    ...app,
    url: `http://127.0.0.1:${port}`,
    prefix,
    config,
    async stop() {
      await cleanPrefix(app.redis, prefix).catch(() => undefined);
      await app.close();
    },
  };
}

/** A message that failed every retry, as the jobs leave it in the dead letters (a `summary` to `to`). */
export function addDeadLetter(app: App, tenant: string, id: string, to: string): Promise<void> {
  return app.store.addDeadLetter(tenant, {
    id,
    kind: "summary",
    to,
    reason: "conversation_not_found",
    failedAt: new Date().toISOString(),
    payload: JSON.stringify({ test: id }),
  });
}

/** How many deliveries were queued while `run` ran (a dead letter's retry queues one). */
export async function deliveriesQueued(app: App, run: () => Promise<unknown>): Promise<number> {
  const waiting = async () => {
    const counts = await app.jobs.queues.deliveries.getJobCounts("waiting", "delayed");
    return (counts.waiting ?? 0) + (counts.delayed ?? 0);
  };
  const before = await waiting();
  await run();
  return (await waiting()) - before;
}
