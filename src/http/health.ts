import type { Redis } from "ioredis";
import type { Metrics } from "../observability/metrics.js";
import { pathOf, type Route, sendJson, sendText } from "./server.js";

/** /healthz (the process runs), /readyz (Redis answers within a second), /metrics (Prometheus text). */
export function healthRoutes(redis: Redis, metrics: Metrics): Route {
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = pathOf(req);
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    if (path === "/readyz") {
      const ok = await Promise.race([
        redis.ping().then(
          (r) => r === "PONG",
          () => false,
        ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref()),
      ]);
      sendJson(
        res,
        ok ? 200 : 503,
        ok ? { status: "ready" } : { status: "unavailable", reason: "Redis does not answer" },
      );
      return true;
    }
    if (path === "/metrics") {
      sendText(res, 200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
      return true;
    }
    return false;
  };
}
