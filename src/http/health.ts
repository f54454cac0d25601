import type { Metrics } from "../observability/metrics.js";
import type { RedisClient } from "../store/client.js";
import { pathOf, type Route, sendJson, sendText } from "./server.js";

export interface HealthDeps {
  redis: RedisClient;
  /** True once the knowledge base is compiled and indexed. */
  knowledgeLoaded: () => boolean;
}

/** Readiness waits at most this long for Redis: a stopped Redis turns /readyz to 503 well within 2 s. */
const PING_TIMEOUT_MS = 1000;

/** /healthz (the process runs) and /readyz (Redis answers and the knowledge base is loaded). */
export function healthRoutes(deps: HealthDeps): Route {
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = pathOf(req);
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    if (path === "/readyz") {
      const reason = !deps.knowledgeLoaded()
        ? "the knowledge base is not loaded"
        : !(await redisAnswers(deps.redis))
          ? "Redis does not answer"
          : undefined;
      sendJson(res, reason ? 503 : 200, reason ? { status: "unavailable", reason } : { status: "ready" });
      return true;
    }
    return false;
  };
}

/** GET /metrics: Prometheus text format. */
export function metricsRoute(metrics: Metrics): Route {
  return async (req, res) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || pathOf(req) !== "/metrics") return false;
    sendText(res, 200, await metrics.render(), metrics.contentType);
    return true;
  };
}

async function redisAnswers(redis: RedisClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  // Connecting: the PING waits for the connection (up to the timeout). Lost and waiting to retry: 503 at once,
  // instead of queueing the PING until the client reconnects.
  const connecting = redis.status === "connecting" || redis.status === "connect";
  const pong =
    redis.status === "ready" || connecting
      ? redis.ping().then(
          (r) => r === "PONG",
          () => false,
        )
      : Promise.resolve(false);
  const ok = await Promise.race([pong, timeout]);
  clearTimeout(timer);
  return ok;
}
