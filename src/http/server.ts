import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type RequestContext, runInRequest } from "../observability/context.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";

/** A route handles the request and returns true, or returns false to let the next route try. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

/** Probes and scrapes: logged at debug so that a health check every few seconds does not flood the log. */
const QUIET = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Serves the routes in order; every request gets an id (x-request-id, echoed back), one log line when it is
 * answered (platform, tenant when known, route, status, duration) and the HTTP metrics.
 */
export function createHttpServer(routes: Route[], logger: Logger, metrics?: Metrics): Server {
  return createServer((req, res) => {
    const started = performance.now();
    const path = pathOf(req);
    const context: RequestContext = { requestId: requestIdOf(req), platform: platformOf(path) };
    res.setHeader("x-request-id", context.requestId);
    res.once("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      // Unmatched paths share one label so that scanners cannot grow the metric without bound.
      const route = res.statusCode === 404 ? "unmatched" : path;
      const platform = context.platform ?? "none";
      metrics?.httpRequests.inc({ platform, route, status: String(res.statusCode) });
      metrics?.httpLatency.observe(seconds, { platform, route });
      const line = {
        requestId: context.requestId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        platform,
        ...(context.tenant ? { tenant: context.tenant } : {}),
      };
      if (QUIET.has(path)) logger.debug("request", line);
      else logger.info("request", line);
    });
    runInRequest(context, async () => {
      try {
        for (const route of routes) if (await route(req, res)) return;
        sendJson(res, 404, { error: "not found" });
      } catch (error) {
        logger.error("request failed", { path, error });
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      }
    });
  });
}

/**
 * Stops accepting connections and resolves once every request in flight has been answered. A keep-alive
 * connection is closed as soon as it is idle: Node closes the idle ones when close() is called, but one
 * whose request was still running would otherwise hold the shutdown until the client or the keep-alive
 * timeout lets it go.
 */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
  });
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

/** The platform a path belongs to; adapters may refine it (and add the tenant) with noteRequest. */
function platformOf(path: string): string | undefined {
  if (path.startsWith("/slack/")) return "slack";
  if (path === "/api/messages") return "teams";
  if (path === "/" || path.startsWith("/playground")) return "playground";
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    // A body refused for its size is not read any further: the connection closes after the answer.
    ...(status === 413 ? { connection: "close" } : {}),
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export class BodyTooLargeError extends Error {}

/** Reads a request body up to a limit (1 MiB by default). */
export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return (await readBodyBytes(req, limit)).toString("utf8");
}

/** Reads a request body's bytes up to a limit. */
export async function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}
