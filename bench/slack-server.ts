/**
 * One Slack server for the load benchmark, in a process of its own (forked by bench/slack.ts):
 * `ours` is the real app (Bolt, engine, Redis, jobs queues) against the lean fake Web API; `bare` is a
 * bare Bolt app of the same version and receiver whose one listener only acks. It reports over IPC and
 * answers "window" messages with its CPU time and peak resident memory since the last window.
 */
import { App, HTTPReceiver } from "@slack/bolt";
import { startApp } from "../test/support/app.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../test/support/fake-slack.js";

const [kind, apiUrl, usersArg] = process.argv.slice(2);
const users = Array.from({ length: Number(usersArg ?? 200) }, (_, i) => `UL${i}`);
const send = (message: unknown) => process.send?.(message);

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

let idle: () => Promise<void> = async () => {};
let stop: () => Promise<void> = async () => {};
if (kind === "bare") {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, processBeforeResponse: false });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: BOT_TOKEN, botUserId: "UBOT", botId: "BBOT" }),
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  const { port } = (server as import("node:http").Server).address() as import("node:net").AddressInfo;
  stop = async () => {
    await app.stop();
  };
  send({ ready: true, url: `http://127.0.0.1:${port}/slack/events` });
} else {
  const app = await startApp("bench-load", {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: apiUrl!,
  });
  const { store, engine } = app;
  const team = {
    id: "CLOAD",
    tenant: "T1",
    platform: "slack" as const,
    name: "load",
    timezone: "UTC",
    leads: [users[0]!],
    members: users,
    createdAt: new Date().toISOString(),
    createdBy: users[0]!,
  };
  await store.createTeam(team);
  const now = new Date();
  const round = {
    id: `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`,
    teamId: team.id,
    cadence: "quarterly" as const,
    openedAt: now.toISOString(),
    deadline: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
    openedBy: "lead" as const,
    members: users,
  };
  await store.insertRound(team.tenant, round);
  idle = () => app.slack?.idle(30_000) ?? Promise.resolve();
  stop = () => app.stop();
  send({
    ready: true,
    url: `${app.url}/slack/events`,
    team: team.id,
    round: round.id,
    keys: engine.deps.bank.keys("full"),
  });
}

let cpu = process.cpuUsage();
process.on("message", async (message: { type: string }) => {
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
