import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch } from "../../../src/http/keep-alive-fetch.js";

let server: Server;
let base: string;
const seen: {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  socket: number;
}[] = [];
const sockets = new WeakMap<object, number>();
let nextSocket = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, ++nextSocket);
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        socket: sockets.get(req.socket)!,
      });
      if (req.url === "/limited") {
        res.writeHead(429, { "retry-after": "7", "content-type": "application/json" });
        res.end('{"ok":false,"error":"ratelimited"}');
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" });
        res.end();
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("late"), 2000).unref();
      } else if (req.url === "/empty") {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json", "x-oauth-scopes": "chat:write, im:write" });
        res.end(JSON.stringify({ ok: true, echo: Buffer.concat(chunks).toString() }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("keepAliveFetch", () => {
  const lean = keepAliveFetch({ maxSockets: 4 });

  it("posts a string body with its headers and returns a real Response, over one kept-alive connection", async () => {
    const first = seen.length;
    for (let i = 0; i < 3; i++) {
      const res = await lean(`${base}/api/chat.update`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Bearer xoxb-1" },
        body: `channel=D1&text=caf%C3%A9+${i}`,
        redirect: "error",
      });
      expect(res).toBeInstanceOf(Response);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-oauth-scopes")).toBe("chat:write, im:write");
      expect(await res.json()).toEqual({ ok: true, echo: `channel=D1&text=caf%C3%A9+${i}` });
    }
    const calls = seen.slice(first);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.headers.authorization).toBe("Bearer xoxb-1");
    expect(calls[0]!.headers["content-length"]).toBe(
      String(Buffer.byteLength("channel=D1&text=caf%C3%A9+0")),
    );
    expect(new Set(calls.map((c) => c.socket)).size).toBe(1);
  });

  it("passes a 429 and its Retry-After through, and a 204 with no body", async () => {
    const limited = await lean(`${base}/limited`, { method: "POST", body: "x=1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const empty = await lean(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("refuses a redirect when asked to, as fetch does", async () => {
    await expect(lean(`${base}/moved`, { method: "POST", body: "", redirect: "error" })).rejects.toThrow(
      TypeError,
    );
  });

  it("rejects with the signal's reason on a timeout, and a refused connection as fetch failed", async () => {
    const timedOut = lean(`${base}/slow`, { signal: AbortSignal.timeout(100) });
    await expect(timedOut).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(lean("http://127.0.0.1:1/api/x", { method: "POST", body: "" })).rejects.toThrow(
      "fetch failed",
    );
  });

  it("hands a FormData body to the built-in fetch", async () => {
    const form = new FormData();
    form.append("filename", "chart.png");
    const res = await lean(`${base}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const call = seen.at(-1)!;
    expect(call.url).toBe("/upload");
    expect(call.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.body).toContain("chart.png");
  });
});
