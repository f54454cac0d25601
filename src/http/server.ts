import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../observability/logger.js";

/** A route handles the request and returns true, or returns false to let the next route try. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export function createHttpServer(routes: Route[], logger: Logger): Server {
  return createServer(async (req, res) => {
    try {
      for (const route of routes) if (await route(req, res)) return;
      sendJson(res, 404, { error: "not found" });
    } catch (error) {
      logger.error("request failed", { path: req.url?.split("?")[0], error });
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    }
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
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
