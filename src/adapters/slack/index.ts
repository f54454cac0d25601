import type { IncomingMessage } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  App,
  type Authorize,
  ErrorCode,
  HTTPReceiver,
  type InstallationStore,
  LogLevel,
  SocketModeReceiver,
  webApi,
} from "@slack/bolt";
import type { SlackConfig } from "../../config/index.js";
import type { ConversationEngine } from "../../core/conversation/engine.js";
import { platformApiFetch } from "../../http/keep-alive-fetch.js";
import { BodyTooLargeError, pathOf, type Route, readBodyBytes, sendJson } from "../../http/server.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import type { RedisClient } from "../../store/client.js";
import type { Keys } from "../../store/keys.js";
import { errorCode } from "./api.js";
import { boltLogger } from "./bolt-logger.js";
import { Deliverer, DmChannels } from "./deliver.js";
import type { SlackDeps } from "./deps.js";
import { RedisInstallationStore } from "./installation-store.js";
import * as action from "./listeners/action.js";
import * as command from "./listeners/command.js";
import * as homeOpened from "./listeners/home-opened.js";
import * as members from "./listeners/members.js";
import * as mention from "./listeners/mention.js";
import * as message from "./listeners/message.js";
import * as uninstalled from "./listeners/uninstalled.js";
import { SlackNotifier, slackClients } from "./notifier.js";
import { UserCache } from "./users.js";
import { Work } from "./work.js";

export const EVENTS_PATH = "/slack/events";
export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";

/** Bot scopes requested by the OAuth install; manifest.yml lists the same. */
export const BOT_SCOPES = [
  "app_mentions:read",
  "channels:read",
  "chat:write",
  "commands",
  "files:write",
  "groups:read",
  "im:history",
  "im:write",
  "users:read",
];

export interface SlackAdapterOptions {
  engine: ConversationEngine;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  metrics: Metrics;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Carries out what the engine decided beyond its replies (the jobs). */
  onEffects?: SlackDeps["onEffects"];
}

export interface SlackAdapter {
  /** The HTTP route (events, commands, interactivity, OAuth); none in Socket Mode. */
  route?: Route;
  mode: "http" | "socket";
  bolt: App;
  /** Connects Socket Mode; nothing to do over HTTP. */
  start(): Promise<void>;
  /** Sends proactive messages (nudges, summaries, digests) to any installed workspace. */
  notifier: SlackNotifier;
  /** Waits for work still running after its ack (tests, shutdown). */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Slack adapter: a Bolt app whose listeners only translate Slack payloads into the engine's events
 * and the engine's replies into Block Kit. HTTP by default (mounted in our server on /slack/events,
 * requests verified with the signing secret and acknowledged before the work is done); Socket Mode when an app
 * token is set. One workspace with SLACK_BOT_TOKEN, or any number installed through OAuth.
 */
export async function createSlackAdapter(
  config: SlackConfig,
  options: SlackAdapterOptions,
): Promise<SlackAdapter> {
  const { logger, metrics } = options;
  const log = logger.child({ platform: "slack" });
  const socket = Boolean(config.appToken);
  const oauth = socket ? undefined : config.oauth;
  if (socket && !config.botToken) {
    throw new Error(
      "Slack Socket Mode (SLACK_APP_TOKEN) needs SLACK_BOT_TOKEN: OAuth installs are served over HTTP only",
    );
  }
  if (config.oauth && config.botToken && !socket) {
    log.info("SLACK_BOT_TOKEN is ignored: workspaces are installed through OAuth (SLACK_CLIENT_ID)");
  }

  const level = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[
    options.logLevel
  ];
  const boltLog = boltLogger(log, options.logLevel);
  const installations: InstallationStore | undefined = oauth
    ? new RedisInstallationStore(options.redis, options.keys, oauth.installationKeys)
    : undefined;
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // A rate-limited call waits for Retry-After and is tried again; other failures twice more, quickly.
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 10_000,
    logger: boltLog,
    fetch: platformApiFetch,
  };

  let receiver: HTTPReceiver | SocketModeReceiver | undefined;
  if (!socket) {
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: EVENTS_PATH,
      // Slack gets its 200 as soon as a listener acks; the work goes on after (see Work).
      processBeforeResponse: false,
      // Bolt answers 500 to a signed body it cannot process (Slack would retry it): say 400 instead.
      processEventErrorHandler: async ({ error, response }) => {
        if (response.headersSent) return false;
        const unauthorized = (error as { code?: string }).code === ErrorCode.AuthorizationError;
        if (!unauthorized) {
          metrics.errors.inc({ where: "slack-body" });
          log.warn("Slack request could not be processed", { error });
        }
        response.writeHead(unauthorized ? 401 : 400);
        response.end();
        return true;
      },
      // A signed request no listener takes (an interaction type the bot has no use for): Bolt would answer
      // 404 after 3 s, and Slack would retry it. Acknowledge it instead, and say so in the log.
      unhandledRequestTimeoutMillis: UNHANDLED_ACK_MS,
      unhandledRequestHandler: ({ response }) => {
        log.warn("Slack request ignored: no listener takes it");
        if (!response.headersSent) {
          response.writeHead(200);
          response.end();
        }
      },
      logger: boltLog,
      logLevel: level,
      ...(oauth
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            scopes: BOT_SCOPES,
            installationStore: installations,
            installerOptions: {
              installPath: INSTALL_PATH,
              redirectUriPath: REDIRECT_PATH,
              directInstall: false,
              clientOptions,
            },
          }
        : {}),
    });
  }

  if (socket) {
    const socketReceiver = new SocketModeReceiver({
      appToken: config.appToken!,
      logger: boltLog,
      logLevel: level,
      installerOptions: { clientOptions },
    });
    ackUnhandled(socketReceiver.client, log);
    receiver = socketReceiver;
  }

  const bolt = new App({
    receiver,
    ...(oauth ? {} : { authorize: singleWorkspace(config.botToken!, clientOptions, log) }),
    logger: boltLog,
    logLevel: level,
    clientOptions,
    // Bolt's conversation store (a per-process memory of conversation state) is not used: skip its work.
    convoStore: false,
    deferInitialization: true,
  });
  await bolt.init();

  const work = new Work(log);
  const deps: SlackDeps & { installations?: InstallationStore } = {
    engine: options.engine,
    logger: log,
    metrics,
    users: new UserCache(),
    deliverer: new Deliverer(new DmChannels(), log),
    work,
    installations,
    ...(options.onEffects ? { onEffects: options.onEffects } : {}),
  };
  for (const listener of [command, mention, message, action, homeOpened, members, uninstalled])
    listener.register(bolt, deps);
  bolt.error(async (error) => {
    metrics.errors.inc({ where: "slack" });
    log.error("Slack request failed", { code: error.code, error });
  });

  const paths = new Set([EVENTS_PATH, ...(oauth ? [INSTALL_PATH, REDIRECT_PATH] : [])]);
  const http = receiver instanceof HTTPReceiver ? receiver : undefined;
  const route: Route | undefined = http
    ? async (req, res) => {
        const path = pathOf(req);
        if (!paths.has(path)) return false;
        const method = (req.method ?? "GET").toUpperCase();
        if (path === EVENTS_PATH ? method !== "POST" : method !== "GET") {
          sendJson(res, 405, { error: path === EVENTS_PATH ? "use POST" : "use GET" });
          return true;
        }
        if (path === EVENTS_PATH) {
          // Bolt refuses stale timestamps only; one from the future would keep a captured request replayable.
          const stamp = Number(req.headers["x-slack-request-timestamp"]);
          if (stamp > Date.now() / 1000 + MAX_CLOCK_SKEW_S) {
            sendJson(res, 401, { error: "x-slack-request-timestamp is in the future" });
            return true;
          }
          let raw: Buffer;
          try {
            raw = await readBodyBytes(req, BODY_LIMIT);
          } catch (error) {
            if (!(error instanceof BodyTooLargeError)) throw error;
            sendJson(res, 413, { error: `request body over ${BODY_LIMIT} bytes` });
            return true;
          }
          if (!isSlackBody(raw, req.headers["content-type"])) {
            metrics.errors.inc({ where: "slack-body" });
            sendJson(res, 400, { error: "the body must be a JSON object (or a form whose payload is one)" });
            return true;
          }
          // Bolt reads a request whose rawBody is already set instead of the (consumed) stream.
          (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        }
        http.requestListener(req, res);
        return true;
      }
    : undefined;

  const notifier = new SlackNotifier(
    slackClients(installations ? { installations } : { token: config.botToken! }, clientOptions),
    log,
    metrics,
  );

  return {
    route,
    mode: socket ? "socket" : "http",
    bolt,
    notifier,
    async start() {
      if (socket) {
        await bolt.start();
        log.info("Slack Socket Mode connected");
      }
    },
    idle: (timeoutMs) => work.idle(timeoutMs),
    async stop() {
      // Socket Mode: take no new envelope first (Slack hands them to another connection), within a bound
      // (a peer that never completes the close handshake), then finish the work already acknowledged.
      if (socket) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          bolt.stop().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 2000);
          }),
        ]);
        clearTimeout(timer);
      }
      await work.idle(5000);
    },
  };
}

/** A Slack request no listener acknowledged is acknowledged after this long (Slack waits 3 s, then retries). */
const UNHANDLED_ACK_MS = 1500;

/**
 * Socket Mode's counterpart of HTTPReceiver's unhandledRequestHandler: an envelope no listener acknowledged
 * (an interaction the bot has no use for) is acknowledged after UNHANDLED_ACK_MS, and the log says so.
 * Unacknowledged, Slack would deliver it again and show the user an error.
 */
function ackUnhandled(client: SocketModeReceiver["client"], log: Logger): void {
  const pending = new Set<string>();
  client.on("outgoing_message", (message: { envelope_id?: string }) => {
    if (message.envelope_id) pending.delete(message.envelope_id);
  });
  client.on("slack_event", ({ ack, envelope_id }: { ack: () => Promise<void>; envelope_id?: string }) => {
    if (!envelope_id) return;
    pending.add(envelope_id);
    setTimeout(() => {
      if (!pending.delete(envelope_id)) return;
      log.warn("Slack request ignored: no listener takes it");
      ack().catch(() => undefined);
    }, UNHANDLED_ACK_MS).unref();
  });
}

/** How far a request's timestamp may be ahead of our clock (Slack allows 5 minutes either way). */
const MAX_CLOCK_SKEW_S = 5 * 60;

/** Slack's payloads are far smaller; anything over 1 MiB is refused before Bolt sees it. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Whether a body parses, the way Bolt's HTTPReceiver parses it, into a JSON object (not null, an array or
 * a scalar: Bolt reads properties of the result outside its error handling). A body that does not parse
 * at all is left to Bolt, which answers 401 or 400 itself.
 */
export function isSlackBody(raw: Buffer, contentType: string | undefined): boolean {
  const text = raw.toString();
  let parsed: unknown;
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const { payload } = parseQuery(text);
      if (typeof payload !== "string") return true;
      parsed = JSON.parse(payload);
    } else {
      parsed = JSON.parse(text);
    }
  } catch {
    return true;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
}

/**
 * One workspace, one bot token. auth.test (the bot's own user id, so it never counts itself as a member)
 * is asked once and remembered on success only: a Slack hiccup at start does not break every later event.
 */
function singleWorkspace(
  token: string,
  clientOptions: webApi.WebClientOptions,
  log: Logger,
): Authorize<boolean> {
  type Auth = { botUserId?: string; botId?: string };
  let known: Promise<Auth> | undefined;
  const client = new webApi.WebClient(token, clientOptions);
  return async () => {
    if (!known) {
      known = client.auth.test().then(
        (r: webApi.AuthTestResponse): Auth => ({ botUserId: r.user_id, botId: r.bot_id }),
        (error: unknown) => {
          log.warn("Slack auth.test failed; will ask again on the next event", { code: errorCode(error) });
          known = undefined;
          return {} as Auth;
        },
      );
    }
    const auth = await known;
    return { botToken: token, botUserId: auth.botUserId, botId: auth.botId };
  };
}
