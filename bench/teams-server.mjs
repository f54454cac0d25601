/**
 * One Teams server for the load benchmark, in a process of its own (forked by bench/chat-load.ts), run
 * as plain Node on the built code: `ours` is the real app with ROLE=web (botbuilder's CloudAdapter,
 * engine, Redis, queues) against the lean fake Bot Connector, without credentials (local traffic only,
 * as in development); `bare` is botbuilder's echo bot on the same CloudAdapter and a node:http server.
 * Arguments: kind, connector URL, number of people.
 */
import { send, serveWindows, startOurs } from "./bench-server.mjs";

const [kind, , usersArg] = process.argv.slice(2);
const TENANT = "bench-tenant-0000";
const users = Array.from({ length: Number(usersArg ?? 200) }, (_, i) => `29:L${i}`);
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
  serveWindows(
    async () => {},
    () => new Promise((resolve) => server.close(resolve)),
  );
  send({ ready: true, url: `http://127.0.0.1:${server.address().port}/api/messages` });
} else {
  const ours = await startOurs(
    "teams",
    {},
    { id: "19:bench@thread.tacv2", tenant: TENANT, platform: "teams", users },
  );
  serveWindows(async () => {}, ours.stop);
  send({ ready: true, url: `http://127.0.0.1:${ours.port}/api/messages`, ...ours.ready });
}
