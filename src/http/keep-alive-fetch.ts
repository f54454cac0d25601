import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** A response read to its end, without web streams: what the platforms' Web API clients read of one. */
export interface BufferedResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null; entries(): Iterable<[string, string]> };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What a Web API client (Slack's `fetch` option) calls: a string body goes over kept-alive node:http. */
export type BufferedFetch = (
  input: string | URL,
  init?: { method?: string; headers?: Record<string, string>; body?: string | FormData } & Pick<
    RequestInit,
    "redirect" | "signal"
  >,
) => Promise<BufferedResponse>;

interface Received {
  url: string;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer<ArrayBuffer>;
}

/**
 * `fetch`es for the platforms' Web APIs on the hot path (every click's `chat.update`, every nudge), on
 * one pool of kept-alive connections: requests with a string body (or none) go over node:http(s), which
 * costs a fraction of the CPU of the built-in fetch; anything else (a FormData or binary upload) goes to
 * the built-in fetch. `fetch` returns a real `Response`; `buffered` a response read to its end with no web
 * streams (about half the CPU again per call), for a client that only reads status, headers and the text,
 * as Slack's does. Redirects are errors, as the Slack client asks; an abort signal (a timeout) rejects
 * with the signal's reason, as fetch does.
 */
export function keepAliveTransport(options: { maxSockets?: number } = {}): {
  fetch: typeof fetch;
  buffered: BufferedFetch;
} {
  const agents: Record<string, HttpAgent> = {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
  };
  /** The request over a kept-alive connection; undefined when it is not one for node:http. */
  const receive = (input: string | URL | Request, init: RequestInit): Promise<Received> | undefined => {
    const body = init.body;
    if ((body !== undefined && body !== null && typeof body !== "string") || input instanceof Request) {
      return undefined;
    }
    const url = typeof input === "string" ? new URL(input) : input;
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Received>((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: init.method ?? "GET",
          headers: headerRecord(init.headers, body),
          agent: agents[url.protocol],
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            cleanup();
            const status = res.statusCode ?? 0;
            if (status >= 300 && status < 400 && init.redirect === "error") {
              reject(new TypeError(`fetch failed: redirect to ${res.headers.location ?? "?"}`));
              return;
            }
            resolve({
              url: url.href,
              status,
              statusText: res.statusMessage ?? "",
              headers: responseHeaders(res.headers),
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      const onAbort = () => req.destroy(signal?.reason as Error);
      const cleanup = () => signal?.removeEventListener("abort", onAbort);
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (error) => {
        cleanup();
        reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
      });
      req.end(body ?? undefined);
    });
  };
  const lean = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const received = receive(input, init);
    if (!received) return fetch(input, init);
    const { status, statusText, headers, body } = await received;
    const empty = status === 204 || status === 205 || status === 304;
    return new Response(empty ? null : body, { status, statusText, headers });
  };
  const buffered: BufferedFetch = async (input, init = {}) => {
    const received = receive(input, init);
    if (!received) return (await fetch(input, init)) as unknown as BufferedResponse;
    const { url, status, statusText, headers, body } = await received;
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText,
      url,
      headers: {
        get: (name) => {
          const wanted = name.toLowerCase();
          const values = headers.filter(([k]) => k === wanted).map(([, v]) => v);
          return values.length > 0 ? values.join(", ") : null;
        },
        entries: () => headers,
      },
      text: async () => body.toString("utf8"),
      json: async () => JSON.parse(body.toString("utf8")),
      arrayBuffer: async () => new Uint8Array(body).buffer,
    };
  };
  return { fetch: lean as typeof fetch, buffered };
}

/** A `fetch` of its own pool (see keepAliveTransport). */
export function keepAliveFetch(options: { maxSockets?: number } = {}): typeof fetch {
  return keepAliveTransport(options).fetch;
}

function headerRecord(headers: ConstructorParameters<typeof Headers>[0], body: unknown) {
  const out: Record<string, string> = {};
  if (headers instanceof Headers || Array.isArray(headers)) {
    new Headers(headers).forEach((v, k) => {
      out[k] = v;
    });
  } else if (headers) {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  }
  if (typeof body === "string") out["content-length"] = String(Buffer.byteLength(body));
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) out.push([k, one]);
    else out.push([k, v]);
  }
  return out;
}

/**
 * One pool for the process: the Slack Web API clients (`platformApiFetch`) and response_url posts
 * (`platformFetch`) share its connections. The Teams connector keeps its own HTTP client.
 */
const platform = keepAliveTransport();
export const platformFetch: typeof fetch = platform.fetch;
export const platformApiFetch: BufferedFetch = platform.buffered;
