import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from "botbuilder";
import type { TeamsConfig } from "../../config/index.js";
import type { Effect } from "../../core/conversation/context.js";
import type { ConversationEngine } from "../../core/conversation/engine.js";
import { describeError } from "../../core/errors.js";
import type { Notifier } from "../../core/notify.js";
import { BodyTooLargeError, pathOf, type Route, readBody, sendJson } from "../../http/server.js";
import { noteRequest } from "../../observability/context.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import type { RedisClient } from "../../store/client.js";
import { handleActivity, type TeamsDeps } from "./bot.js";
import { TeamsConversations } from "./conversations.js";
import { TeamsDeliverer } from "./deliver.js";
import { activityShape, whereOf } from "./normalise.js";
import { TeamsNotifier } from "./notifier.js";
import { TeamsReferences } from "./references.js";

export interface TeamsAdapter {
  /** POST /api/messages. */
  route: Route;
  notifier: Notifier;
}

export interface TeamsOptions {
  engine: ConversationEngine;
  redis: RedisClient;
  keyPrefix: string;
  logger: Logger;
  metrics: Metrics;
  onEffects?: (effects: readonly Effect[]) => Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * The Teams adapter: botbuilder's CloudAdapter on POST /api/messages. With credentials every request
 * must carry a valid Bot Framework token (else 401); without them (config undefined: only outside
 * production, see config) it serves unauthenticated traffic from this machine only, for the Agents
 * Playground and tests.
 */
export function createTeamsAdapter(config: TeamsConfig | undefined, options: TeamsOptions): TeamsAdapter {
  const { logger, metrics } = options;
  const auth = new ConfigurationBotFrameworkAuthentication(
    authOptions(config),
    undefined,
    undefined,
    undefined,
    connectorOptions,
  );
  const adapter = new CloudAdapter(auth);
  const appId = config?.appId ?? "";
  const conversations = new TeamsConversations(
    adapter,
    appId,
    new TeamsReferences(options.redis, options.keyPrefix),
  );
  const deps: TeamsDeps = {
    engine: options.engine,
    logger,
    metrics,
    conversations,
    deliverer: new TeamsDeliverer(conversations, logger),
    onEffects: options.onEffects,
  };

  // The one error handler: what the user sees of a failure, and the details in the log under the activity id.
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const ref = context.activity.id;
    const view = describeError(error, ref);
    metrics.errors.inc({ where: "engine" });
    logger[view.severe ? "error" : "warn"]("Teams activity failed", {
      code: view.code,
      activity: ref,
      type: context.activity.type,
      tenant: safeTenant(context),
      error,
    });
    if (context.activity.type === "message") {
      await context.sendActivity(view.message).catch(() => undefined);
    }
  };

  const route: Route = async (req, res) => {
    if (pathOf(req) !== "/api/messages") return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST" });
      return true;
    }
    if (!config && !isLoopback(req)) {
      sendJson(res, 401, {
        error: "no MICROSOFT_APP_ID is set: only local, unauthenticated traffic is served",
      });
      return true;
    }
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      sendJson(res, 415, { error: "send a Bot Framework activity as application/json" });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      sendJson(res, tooLarge ? 413 : 400, {
        error: tooLarge ? "activity over 1 MiB" : "the body is not JSON",
      });
      return true;
    }
    const parsed = activityShape.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendJson(res, 400, {
        error: `not a Bot Framework activity: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
      });
      return true;
    }
    noteRequest({ platform: "teams", tenant: whereOf(parsed.data as never).tenant });
    try {
      await adapter.process(
        { body: body as Record<string, unknown>, headers: req.headers, method: req.method },
        responseFor(res),
        (context) => handleActivity(deps, context),
      );
    } catch (error) {
      // The adapter's own checks (an activity it cannot read) throw before any turn ran: nothing changed.
      logger.warn("Teams activity refused", { error });
      if (!res.headersSent) sendJson(res, 400, { error: "the activity could not be read" });
    }
    if (!res.writableEnded) res.end();
    return true;
  };

  return { route, notifier: new TeamsNotifier(conversations) };
}

type ConnectorOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;
type PolicyFactory = Extract<NonNullable<ConnectorOptions["requestPolicyFactories"]>, unknown[]>[number];

/** A Bot Connector call that failed, with its HTTP status and Retry-After (see notifier.ts for the codes). */
export class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly retryAfter: string | undefined,
  ) {
    super(`Bot Connector answered ${statusCode}`);
    this.name = "ConnectorError";
  }
}

/**
 * The connector client resolves a failed call (after its own retries of 429 and 5xx) with the error
 * response instead of throwing; this policy, outside the retries, makes every failure throw.
 */
const failLoudly = {
  create: (next: {
    sendRequest(
      request: unknown,
    ): Promise<{ status: number; headers: { get(name: string): string | undefined } }>;
  }) => ({
    async sendRequest(request: unknown) {
      const response = await next.sendRequest(request);
      if (response.status >= 400)
        throw new ConnectorError(response.status, response.headers.get("retry-after") ?? undefined);
      return response;
    },
  }),
} as unknown as PolicyFactory;

const connectorOptions: ConnectorOptions = { requestPolicyFactories: [failLoudly] };

function authOptions(config: TeamsConfig | undefined): ConfigurationBotFrameworkAuthenticationOptions {
  if (!config) return {};
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType,
    ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
  };
}

/** The response object botbuilder writes to, on Node's own response. */
function responseFor(res: ServerResponse) {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body: unknown) {
      if (res.headersSent) return;
      if (body === undefined || body === null) return;
      if (typeof body === "string") {
        sendJson(res, status, status >= 400 ? { error: body.slice(0, 500) } : body);
      } else sendJson(res, status, body);
    },
    end() {
      if (!res.headersSent) {
        res.writeHead(status);
        res.end();
      } else if (!res.writableEnded) res.end();
    },
  };
}

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

function safeTenant(context: TurnContext): string | undefined {
  try {
    return whereOf(context.activity).tenant;
  } catch {
    return undefined;
  }
}
