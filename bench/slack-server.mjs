/**
 * One Slack server for the load benchmark, in a process of its own (forked by bench/chat-load.ts), run
 * as plain Node on the built code (dist/, as `npm start` runs it), so its CPU and memory are the
 * product's: `ours` is the real app with ROLE=web (Bolt, engine, Redis, queues) against the lean fake
 * Web API; `bare` is a bare Bolt app of the same version and receiver whose one listener only acks.
 * Arguments: kind, Web API URL, number of people, signing secret, bot token. Each kind loads only what
 * it runs: the bare app never loads ours.
 */
import { send, serveWindows, startOurs } from "./bench-server.mjs";

const [kind, apiUrl, usersArg, signingSecret, botToken] = process.argv.slice(2);
const users = Array.from({ length: Number(usersArg ?? 200) }, (_, i) => `UL${i}`);

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
  serveWindows(
    async () => {},
    () => app.stop(),
  );
  send({ ready: true, url: `http://127.0.0.1:${server.address().port}/slack/events` });
} else {
  const ours = await startOurs(
    "slack",
    {
      NODE_ENV: "production",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: botToken,
      SLACK_API_URL: apiUrl,
    },
    { id: "CLOAD", tenant: "T1", platform: "slack", users },
  );
  serveWindows(() => ours.app.slack?.idle(30_000) ?? Promise.resolve(), ours.stop);
  send({ ready: true, url: `http://127.0.0.1:${ours.port}/slack/events`, ...ours.ready });
}
