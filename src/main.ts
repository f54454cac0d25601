/** Entry point: read .env, validate the configuration, find or start Redis, wire the app, listen. */
import path from "node:path";
import { type App, createApp } from "./app.js";
import { loadEnvFile } from "./config/env-file.js";
import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { createLogger } from "./observability/logger.js";
import { ensureLocalRedis, type LocalRedis } from "./runtime/local-redis.js";

function cannotStart(message: string, code = 1): never {
  console.error(`maturity-bot cannot start: ${message}`);
  process.exit(code);
}

let config: Config;
try {
  loadEnvFile(".env");
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) cannotStart(error.message, 78);
  throw error;
}

const logger = createLogger(config.logLevel, {}, false, {
  pretty: !config.production && process.stdout.isTTY === true,
});

let localRedis: LocalRedis | undefined;
if (config.localRedisPort !== undefined) {
  const dataDir = path.resolve("data");
  localRedis = await ensureLocalRedis({ port: config.localRedisPort, dataDir }).catch((error: Error) =>
    cannotStart(error.message),
  );
  if (localRedis.started) {
    logger.info("started a local redis-server (REDIS_URL is not set)", { url: localRedis.url, dataDir });
  }
}

const app: App = await createApp(config, { logger }).catch((error: unknown) =>
  cannotStart(error instanceof Error ? error.message : String(error)),
);

function listen(
  server: App["server"],
  port: number,
  variable: string,
  then: () => void,
  host?: string,
): void {
  server.on("error", (error: NodeJS.ErrnoException) =>
    cannotStart(
      error.code === "EADDRINUSE" ? `port ${port} is in use; set ${variable} to a free port` : error.message,
    ),
  );
  server.listen(port, host, then);
}

if (config.role !== "worker") {
  listen(
    app.server,
    config.port,
    "PORT",
    () => {
      const platforms =
        [config.slack && "Slack", config.teams && "Teams"].filter(Boolean).join(" and ") ||
        "no chat platform (Teams: local unauthenticated traffic only)";
      logger.info("maturity-bot is listening", {
        port: config.port,
        host: config.host ?? "all interfaces",
        role: config.role,
        platforms,
      });
      if (config.playground) logger.info(`playground: http://localhost:${config.port}/`);
    },
    config.host,
  );
}
if (app.metricsServer && config.metricsPort !== undefined) {
  const metricsPort = config.metricsPort;
  listen(app.metricsServer, metricsPort, "METRICS_PORT", () =>
    logger.info("metrics are served on their own port", { url: `http://localhost:${metricsPort}/metrics` }),
  );
}

if (app.jobs.workers) {
  logger.info("queue workers are running", { role: config.role });
}

// A bug in one request must not take the bot away from every workspace: log it and keep serving.
process.on("unhandledRejection", (reason) => {
  app.metrics.errors.inc({ where: "process" });
  app.logger.error("unhandled promise rejection; still serving", { error: reason });
});
process.on("uncaughtException", (error) => {
  app.metrics.errors.inc({ where: "process" });
  app.logger.error("uncaught exception; still serving", { error });
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info("shutting down", { signal });
    setTimeout(() => process.exit(1), 10_000).unref();
    app
      .close()
      .then(() => localRedis?.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
