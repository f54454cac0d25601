import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { Directory, Effect, Outcome } from "../../core/conversation/context.js";
import type { ConversationEngine } from "../../core/conversation/engine.js";
import { type ChatEventInput, parseActionValue } from "../../core/conversation/events.js";
import { describeError } from "../../core/errors.js";
import { reply } from "../../core/reply.js";
import { BodyTooLargeError, pathOf, type Route, readBody, sendJson, sendText } from "../../http/server.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import { observeTurn } from "../observe.js";
import { DEMO_CHANNELS, DEMO_USERS, PLAYGROUND_TENANT, userName } from "./demo.js";
import type { PlaygroundNotifier } from "./notifier.js";
import { PAGE } from "./page.js";
import { renderReply } from "./render.js";

const request = z.object({
  user: z.string().min(1).max(64),
  /** "dm" or a channel id. */
  channel: z.string().min(1).max(64),
  type: z.enum(["command", "message", "action"]),
  name: z.string().max(64).optional(),
  args: z.string().max(2000).optional(),
  text: z.string().max(4000).optional(),
  actionId: z.string().max(255).optional(),
  value: z.unknown().optional(),
});

/** "@Engineer" or "@U-engineer" in the playground's text: the demo users it names. */
function mentionsIn(text: string | undefined): { id: string; name: string }[] {
  const words = new Set((text ?? "").match(/@[\w-]+/g)?.map((w) => w.slice(1).toLowerCase()) ?? []);
  return DEMO_USERS.filter(
    (u) => words.has(u.id.toLowerCase()) || words.has(userName(u.id).toLowerCase()),
  ).map((u) => ({ id: u.id, name: userName(u.id) }));
}

const directory: Directory = {
  async channelMembers(channelId) {
    return [...(DEMO_CHANNELS.find((c) => c.id === channelId)?.members ?? [])];
  },
};

/** GET / serves the web chat; POST /playground/api/event turns its input into a chat event for the engine. */
export function playgroundRoutes(
  engine: ConversationEngine,
  timezone: string,
  observe: {
    logger: Logger;
    metrics: Metrics;
    onEffects?: (effects: readonly Effect[]) => Promise<void>;
    inbox?: PlaygroundNotifier;
  },
): Route {
  const { logger, metrics, onEffects, inbox } = observe;
  return async (req, res) => {
    const path = pathOf(req);
    if (req.method === "GET" && (path === "/" || path === "/playground")) {
      res.setHeader(
        "content-security-policy",
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      );
      sendText(res, 200, PAGE, "text/html; charset=utf-8");
      return true;
    }
    if (req.method === "GET" && path === "/favicon.ico") {
      // Browsers ask for it on every page; an empty answer keeps a 404 out of the page's console.
      res.writeHead(204, { "cache-control": "max-age=86400" });
      res.end();
      return true;
    }
    if (req.method === "GET" && path === "/playground/api/config") {
      sendJson(res, 200, { users: DEMO_USERS, channels: DEMO_CHANNELS });
      return true;
    }
    if (req.method === "GET" && path === "/playground/api/inbox" && inbox) {
      // Messages the bot sent first (nudges, summaries, digests), polled by the page.
      const after = new URL(req.url ?? "/", "http://playground").searchParams.get("after");
      sendJson(res, 200, await inbox.since(after === null ? undefined : Number(after)));
      return true;
    }
    if (path !== "/playground/api/event") return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST" });
      return true;
    }
    // Only the page itself may post: JSON (a cross-site form cannot send it without a CORS preflight,
    // which is never granted) from the same origin.
    if (mediaType(req.headers["content-type"]) !== "application/json") {
      sendJson(res, 415, { error: "send content-type: application/json" });
      return true;
    }
    if (!sameOrigin(req)) {
      sendJson(res, 403, { error: "the playground only answers its own page" });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, 64 * 1024));
    } catch (error) {
      sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: "send a JSON body" });
      return true;
    }
    const parsed = request.safeParse(body);
    if (!parsed.success) {
      sendJson(res, 400, { error: `bad request: ${parsed.error.issues[0]?.message ?? "invalid"}` });
      return true;
    }
    const input = parsed.data;
    const channel = DEMO_CHANNELS.find((c) => c.id === input.channel);
    const base = {
      platform: "playground" as const,
      tenant: PLAYGROUND_TENANT,
      user: { id: input.user },
      channel: channel
        ? { id: channel.id, kind: "channel" as const, name: channel.name }
        : { id: `D-${input.user}`, kind: "dm" as const },
      timezone,
    };
    const event: ChatEventInput =
      input.type === "command"
        ? {
            ...base,
            type: "command",
            name: input.name ?? "",
            args: input.args ?? "",
            mentions: mentionsIn(input.args),
          }
        : input.type === "message"
          ? {
              ...base,
              type: "message",
              text: input.text ?? "",
              mention: Boolean(channel),
              mentions: mentionsIn(input.text),
            }
          : { ...base, type: "action", actionId: input.actionId ?? "", value: parseActionValue(input.value) };
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await engine.handle(event, { directory });
    } catch (error) {
      const view = describeError(error);
      metrics.errors.inc({ where: "engine" });
      logger[view.severe ? "error" : "warn"]("playground event failed", { code: view.code, error });
      outcome = { replies: [{ ...reply(view.message), private: true }], effects: [] };
    }
    const { replies } = outcome;
    if (outcome.effects.length > 0) {
      await onEffects?.(outcome.effects).catch((error: unknown) =>
        logger.error("could not queue the work that follows an event", { error }),
      );
    }
    observeTurn(metrics, {
      platform: "playground",
      tenant: PLAYGROUND_TENANT,
      type: input.type,
      seconds: (performance.now() - started) / 1000,
      effects: outcome.effects,
    });
    const origin = channel ? `channel:${channel.id}` : `dm:${input.user}`;
    sendJson(res, 200, {
      replies: replies.map((r) =>
        renderReply(
          r,
          r.to.kind === "dm"
            ? `dm:${r.to.user}`
            : r.to.kind === "channel"
              ? `channel:${r.to.channel}`
              : origin,
        ),
      ),
    });
    return true;
  };
}

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Browsers say where a request comes from (Sec-Fetch-Site, Origin); a request without either is no browser's. */
function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
