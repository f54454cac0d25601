/**
 * One Slack server for the load benchmark, in a process of its own (forked by bench/slack.ts), run as
 * plain Node on the built code (dist/, as `npm start` runs it), so its CPU and memory are the product's:
 * `ours` is the real app with ROLE=web (Bolt, engine, Redis, queues) against the lean fake Web API;
 * `bare` is a bare Bolt app of the same version and receiver whose one listener only acks. It reports
 * over IPC and answers "window" messages with its CPU time and peak resident memory since the last one.
 * Arguments: kind, Web API URL, number of people, signing secret, bot token.
 */
// Each kind loads only what it runs: the bare app never loads ours.

const [kind, apiUrl, usersArg, signingSecret, botToken] = process.argv.slice(2);
const users = Array.from({ length: Number(usersArg ?? 200) }, (_, i) => `UL${i}`);
const send = (message) => process.send?.(message);

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

let idle = async () => {};
let stop = async () => {};
if (kind === "bare") {
  const { App, HTTPReceiver } = await import("@slack/bolt");
  const receiver = new HTTPReceiver({ signingSecret, processBeforeResponse: false });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken, botUserId: "UBOT", botId: "BBOT" }),
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  stop = () => app.stop();
  send({ ready: true, url: `http://127.0.0.1:${server.address().port}/slack/events` });
} else {
  const { createApp } = await import("../dist/src/app.js");
  const { loadConfig } = await import("../dist/src/config/index.js");
  const { silentLogger } = await import("../dist/src/observability/logger.js");
  const prefix = `mbbench-slack-${process.pid}`;
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    KEY_PREFIX: prefix,
    PORT: "3000",
    ROLE: "web",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: apiUrl,
  });
  const app = await createApp(config, { logger: silentLogger });
  await new Promise((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const { store, engine } = app;
  const team = {
    id: "CLOAD",
    tenant: "T1",
    platform: "slack",
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
  idle = () => app.slack?.idle(30_000) ?? Promise.resolve();
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
    url: `http://127.0.0.1:${app.server.address().port}/slack/events`,
    team: team.id,
    round: round.id,
    keys: engine.deps.bank.keys("full"),
  });
}

let cpu = process.cpuUsage();
process.on("message", async (message) => {
  if (message.type === "window") {
    await idle(); // the work after the acks belongs to the requests of the window
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
