import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A lean fake Slack Web API for load: answers every method with `ok`, keeps counts only (never the
 * calls), and can answer 429 with Retry-After to one call in `limitEvery`. Delivered messages are
 * counted per (channel, text) so that exactly-once can be checked at the fake.
 */
export class LeanSlack {
  readonly calls = new Map<string, number>();
  readonly delivered = new Map<string, number>();
  limited = 0;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly apiUrl: string,
    private readonly limitEvery: number,
  ) {}

  static async start(options: { limitEvery?: number } = {}): Promise<LeanSlack> {
    let fake: LeanSlack | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => fake!.handle(req.url ?? "/", Buffer.concat(chunks).toString(), res));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new LeanSlack(server, `http://127.0.0.1:${port}/api/`, options.limitEvery ?? 0);
    return fake;
  }

  count(): number {
    let n = 0;
    for (const v of this.calls.values()) n += v;
    return n;
  }

  private handle(url: string, body: string, res: import("node:http").ServerResponse): void {
    const method = url.replace(/^\/api\//, "").split("?")[0]!;
    this.seq += 1;
    if (this.limitEvery > 0 && this.seq % this.limitEvery === 0) {
      this.limited += 1;
      res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
      res.end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    let answer: Record<string, unknown> = { ok: true };
    if (method === "auth.test") answer = { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };
    // One DM channel per user, as Slack keeps it: a message sent twice lands twice in the same count.
    else if (method === "conversations.open") answer = { ok: true, channel: { id: `D${parse(body).users}` } };
    else if (method === "chat.postMessage" || method === "chat.update") {
      const params = parse(body);
      const key = `${params.channel ?? ""}\u0000${params.text ?? ""}`;
      this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
      answer = { ok: true, channel: params.channel, ts: `${Date.now() / 1000}` };
    } else if (method === "users.info") answer = { ok: true, user: { id: "U", tz: "UTC" } };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function parse(body: string): Record<string, string> {
  if (body.startsWith("{")) {
    try {
      return JSON.parse(body) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}
