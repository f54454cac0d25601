/**
 * What the benchmark's servers share (bench/slack-server.mjs, bench/teams-server.mjs): the real app from
 * the built code with ROLE=web, a team of the given people with an open round, and the "window" protocol
 * over IPC (CPU time and peak resident memory since the last window).
 */
export const send = (message) => process.send?.(message);

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

/** Starts the real app with `env` added, and a team of `users` (the first one leads) with a round open. */
export async function startOurs(name, env, team) {
  const { createApp } = await import("../dist/src/app.js");
  const { loadConfig } = await import("../dist/src/config/index.js");
  const { silentLogger } = await import("../dist/src/observability/logger.js");
  const prefix = `mbbench-${name}-${process.pid}`;
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    KEY_PREFIX: prefix,
    PORT: "3000",
    ROLE: "web",
    ...env,
  });
  const app = await createApp(config, { logger: silentLogger });
  await new Promise((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const { users, ...rest } = team;
  const record = {
    ...rest,
    name: "load",
    timezone: "UTC",
    leads: [users[0]],
    members: users,
    createdAt: new Date().toISOString(),
    createdBy: users[0],
  };
  await app.store.createTeam(record);
  const now = new Date();
  const round = {
    id: `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`,
    teamId: record.id,
    cadence: "quarterly",
    openedAt: now.toISOString(),
    deadline: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
    openedBy: "lead",
    members: users,
  };
  await app.store.insertRound(record.tenant, round);
  return {
    app,
    port: app.server.address().port,
    ready: {
      team: record.id,
      round: round.id,
      keys: app.engine.deps.bank.keys("full"),
      tenant: record.tenant,
    },
    async stop() {
      let cursor = "0";
      do {
        const [next, keys] = await app.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await app.redis.del(...keys);
      } while (cursor !== "0");
      await app.close();
    },
  };
}

/** Answers "window" (after `idle`: the work after the acks belongs to the window) and "stop". */
export function serveWindows(idle, stop) {
  let cpu = process.cpuUsage();
  process.on("message", async (message) => {
    if (message.type === "window") {
      await idle();
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const rss = Math.max(peakRss, process.memoryUsage().rss);
      peakRss = 0;
      send({ type: "window", cpuMs: (used.user + used.system) / 1000, rssMb: rss / 1024 / 1024 });
    } else if (message.type === "stop") {
      await stop().catch(() => undefined);
      process.exit(0);
    }
  });
}
