/**
 * One Teams server for the load benchmark, in a process of its own (forked by bench/chat-load.ts), run
 * as plain Node on the built code: `ours` is the real app with ROLE=web (botbuilder's CloudAdapter,
 * engine, Redis, queues) against the lean fake Bot Connector, without credentials (local traffic only,
 * as in development); `bare` is botbuilder's echo bot on the same CloudAdapter and a node:http server.
 * It answers "window" messages with its CPU time and peak resident memory since the last one.
 * Arguments: kind, connector URL, number of people.
 */
const [kind, , usersArg] = process.argv.slice(2);
const TENANT = "bench-tenant-0000";
const users = Array.from({ length: Number(usersArg ?? 200) }, (_, i) => `29:L${i}`);
const send = (message) => process.send?.(message);

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

let stop = async () => {};
if (kind === "bare") {
  // The echo bot of the Bot Framework samples, on node:http instead of restify.
  const { createServer } = await import("node:http");
  const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } = await import(
    "botbuilder"
  );
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text ?? JSON.stringify(context.activity.value)}`);
    await next();
  });
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      let status = 200;
      const response = {
        socket: res.socket,
        status: (code) => {
          status = code;
        },
        header: (name, value) => res.setHeader(name, String(value)),
        send: (body) => {
          if (body !== undefined && body !== null && !res.headersSent) {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(typeof body === "string" ? body : JSON.stringify(body));
          }
        },
        end: () => {
          if (!res.headersSent) res.writeHead(status);
          if (!res.writableEnded) res.end();
        },
      };
      const body = JSON.parse(Buffer.concat(chunks).toString());
      await adapter.process({ body, headers: req.headers, method: req.method }, response, (context) =>
        bot.run(context),
      );
      response.end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  stop = () => new Promise((resolve) => server.close(resolve));
  send({ ready: true, url: `http://127.0.0.1:${server.address().port}/api/messages` });
} else {
  const { createApp } = await import("../dist/src/app.js");
  const { loadConfig } = await import("../dist/src/config/index.js");
  const { silentLogger } = await import("../dist/src/observability/logger.js");
  const prefix = `mbbench-teams-${process.pid}`;
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    KEY_PREFIX: prefix,
    PORT: "3000",
    ROLE: "web",
  });
  const app = await createApp(config, { logger: silentLogger });
  await new Promise((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const { store, engine } = app;
  const team = {
    id: "19:bench@thread.tacv2",
    tenant: TENANT,
    platform: "teams",
    name: "load",
    timezone: "UTC",
    leads: [users[0]],
    members: users,
    createdAt: new Date().toISOString(),
    createdBy: users[0],
  };
  await store.createTeam(team);
  const now = new Date();
  const round = {
    id: `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`,
    teamId: team.id,
    cadence: "quarterly",
    openedAt: now.toISOString(),
    deadline: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
    openedBy: "lead",
    members: users,
  };
  await store.insertRound(team.tenant, round);
  stop = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await app.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await app.redis.del(...keys);
    } while (cursor !== "0");
    await app.close();
  };
  send({
    ready: true,
    url: `http://127.0.0.1:${app.server.address().port}/api/messages`,
    team: team.id,
    round: round.id,
    keys: engine.deps.bank.keys("full"),
    tenant: TENANT,
  });
}

let cpu = process.cpuUsage();
process.on("message", async (message) => {
  if (message.type === "window") {
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
