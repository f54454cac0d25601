import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * A `fetch` for the platforms' Web APIs on the hot path (every click's `chat.update`, every nudge):
 * requests with a string body (or none) go over node:http(s) with kept-alive connections, which costs a
 * fraction of the CPU of the built-in fetch; anything else (a FormData or binary upload) goes to the
 * built-in fetch. What it returns is a real `Response`. Redirects are errors, as the Slack client asks;
 * an abort signal (a timeout) rejects with the signal's reason, as fetch does.
 */
export function keepAliveFetch(options: { maxSockets?: number } = {}): typeof fetch {
  const agents: Record<string, HttpAgent> = {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
  };
  const lean = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    if ((body !== undefined && body !== null && typeof body !== "string") || input instanceof Request) {
      return fetch(input, init);
    }
    const url = typeof input === "string" ? new URL(input) : input;
    if (url.protocol !== "http:" && url.protocol !== "https:") return fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Response>((resolve, reject) => {
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
            const empty = status === 204 || status === 205 || status === 304;
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? "",
                headers: responseHeaders(res.headers),
              }),
            );
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
  return lean as typeof fetch;
}

function headerRecord(headers: ConstructorParameters<typeof Headers>[0], body: string | null | undefined) {
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

/** One for the process: the Slack clients, response_url posts and the Teams connector share its connections. */
export const platformFetch: typeof fetch = keepAliveFetch();
