import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch, keepAliveTransport } from "../../../src/http/keep-alive-fetch.js";

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
      } else if (req.url === "/api/chat.postMessage" && req.headers.authorization === "Bearer xoxb-gone") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"ok":false,"error":"channel_not_found"}');
      } else if (req.url?.startsWith("/limited/")) {
        res.writeHead(429, { "retry-after": "7", "content-type": "application/json" });
        res.end('{"ok":false,"error":"ratelimited"}');
      } else if (req.url?.startsWith("/down/")) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("down");
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

const transport = keepAliveTransport({ maxSockets: 4 });
const buffered = transport.buffered;

/** What both of a transport's fetches answer alike. */
type Fetching = (
  url: string,
  init?: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | FormData;
    redirect?: RequestRedirect;
    signal?: AbortSignal;
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}>;
const lean = keepAliveFetch({ maxSockets: 4 });

describe.each<[string, Fetching]>([
  ["keepAliveFetch", lean],
  ["the buffered fetch", buffered],
])("%s", (_name, fetching) => {
  it("posts a string body with its headers and reads the answer, over one kept-alive connection", async () => {
    const first = seen.length;
    for (let i = 0; i < 3; i++) {
      const res = await fetching(`${base}/api/chat.update`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Bearer xoxb-1" },
        body: `channel=D1&text=caf%C3%A9+${i}`,
        redirect: "error",
      });
      if (fetching === lean) expect(res).toBeInstanceOf(Response);
      expect(res.status).toBe(200);
      expect(res.headers.get("X-OAuth-Scopes")).toBe("chat:write, im:write");
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
    const limited = await fetching(`${base}/limited`, { method: "POST", body: "x=1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const empty = await fetching(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("refuses a redirect when asked to, as fetch does", async () => {
    await expect(fetching(`${base}/moved`, { method: "POST", body: "", redirect: "error" })).rejects.toThrow(
      TypeError,
    );
  });

  it("rejects with the signal's reason on a timeout, and a refused connection as fetch failed", async () => {
    const timedOut = fetching(`${base}/slow`, { signal: AbortSignal.timeout(100) });
    await expect(timedOut).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(fetching("http://127.0.0.1:1/api/x", { method: "POST", body: "" })).rejects.toThrow(
      "fetch failed",
    );
  });

  it("hands a FormData body to the built-in fetch", async () => {
    const form = new FormData();
    form.append("filename", "chart.png");
    const res = await fetching(`${base}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const call = seen.at(-1)!;
    expect(call.url).toBe("/upload");
    expect(call.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.body).toContain("chart.png");
  });
});

describe("keepAliveTransport's buffered fetch", () => {
  it("reads what a Response has, on the same connections as the transport's fetch", async () => {
    const first = seen.length;
    await (await transport.fetch(`${base}/api/auth.test`, { method: "POST", body: "a=1" })).text();
    const res = await buffered(`${base}/api/x`, { method: "POST", body: "b=2" });
    expect(res).toMatchObject({ ok: true, status: 200, statusText: "OK", url: `${base}/api/x` });
    expect(res.headers.get("retry-after")).toBeNull();
    expect([...res.headers.entries()]).toContainEqual(["content-type", "application/json"]);
    expect(JSON.parse(Buffer.from(await res.arrayBuffer()).toString())).toEqual({ ok: true, echo: "b=2" });
    expect(new Set(seen.slice(first).map((c) => c.socket)).size).toBe(1);
  });

  it("serves Slack's Web API client: a result, a platform error, a 429 with its Retry-After, a 500", async () => {
    const client = (token: string, api = `${base}/api/`) =>
      new webApi.WebClient(token, {
        slackApiUrl: api,
        fetch: buffered,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      });
    expect(await client("xoxb-1").apiCall("conversations.open", { users: "U1" })).toMatchObject({
      ok: true,
      echo: "users=U1",
    });
    await expect(client("xoxb-gone").chat.postMessage({ channel: "DX", text: "hi" })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: "channel_not_found" },
    });
    await expect(client("xoxb-1", `${base}/limited/`).apiCall("chat.postMessage")).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    await expect(client("xoxb-1", `${base}/down/`).apiCall("chat.postMessage")).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
    });
  });
});
