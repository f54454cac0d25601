/** Entry point: validate the configuration, wire the app, listen; ROLE decides what starts. */
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config/index.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`maturity-bot cannot start: ${error.message}`);
    process.exit(78);
  }
  throw error;
}

const app = await createApp(config).catch((error: unknown) => {
  console.error(`maturity-bot cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

if (config.role !== "worker") {
  app.server.listen(config.port, config.host, () => {
    const platforms = config.slack ? "Slack" : "no chat platform";
    app.logger.info("maturity-bot is listening", {
      port: config.port,
      host: config.host ?? "all interfaces",
      role: config.role,
      platforms,
    });
    if (config.playground) app.logger.info(`playground: http://localhost:${config.port}/`);
    if (config.teams) {
      app.logger.warn(
        "MICROSOFT_APP_ID is set, but this version has no Teams adapter yet: Teams messages are not served",
      );
    }
  });
  app.server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `maturity-bot cannot start: port ${config.port} is in use; set PORT to a free port`
        : `maturity-bot cannot start: ${error.message}`,
    );
    process.exit(1);
  });
}

if (config.role === "worker") {
  app.logger.warn("ROLE=worker: this version has no scheduled jobs yet, so the worker has nothing to run");
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
    app.logger.info("shutting down", { signal });
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
