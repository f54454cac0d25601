import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Bot Connector (the Teams side of the Bot Framework) on 127.0.0.1: it records every activity
 * the bot sends or updates, opens personal conversations, serves rosters page by page, and answers
 * with a chosen failure for a chosen conversation (429 with Retry-After, 403, 404, 500).
 */

export interface Member {
  id: string;
  name: string;
  aadObjectId?: string;
  userRole?: "owner" | "user" | "guest";
}

export interface Recorded {
  kind: "send" | "update" | "create";
  conversationId: string;
  /** The id the connector gave (send) or the id updated (update). */
  activityId: string;
  replyToId?: string;
  // biome-ignore lint/suspicious/noExplicitAny: a recorded activity is whatever the bot sent
  activity: any;
}

export class FakeConnector {
  readonly records: Recorded[] = [];
  /** Rosters by team id (or group conversation id). */
  readonly rosters = new Map<string, Member[]>();
  /** Failures by conversation id: every call for that conversation answers with it. */
  readonly faults = new Map<string, { status: number; retryAfter?: string }>();
  /** Members per roster page, whatever the bot asks for (to see that it reads every page). */
  pageSize = 2;
  private next = 1;
  /** While set, sends and updates wait here until release() (see hold). */
  private holding?: (() => void)[];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    let fake: FakeConnector | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeConnector(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  reset(): void {
    this.records.length = 0;
    this.faults.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * What a user sees in a conversation: each message once, as last updated, in the order first sent.
   * A thread (";messageid=" suffix) counts as its channel.
   */
  // biome-ignore lint/suspicious/noExplicitAny: activities as sent
  conversation(conversationId: string): { id: string; activity: any; updates: number }[] {
    const base = (id: string) => id.split(";")[0];
    // biome-ignore lint/suspicious/noExplicitAny: activities as sent
    const out = new Map<string, { id: string; activity: any; updates: number }>();
    for (const r of this.records) {
      if (base(r.conversationId) !== base(conversationId) || r.kind === "create") continue;
      const known = out.get(r.activityId);
      if (r.kind === "update" && known)
        out.set(r.activityId, { ...known, activity: r.activity, updates: known.updates + 1 });
      else if (r.kind === "send")
        out.set(r.activityId, { id: r.activityId, activity: r.activity, updates: 0 });
    }
    return [...out.values()];
  }

  /** Sends and updates of activities wait until release(): the bot's turns stay in flight meanwhile. */
  hold(): void {
    this.holding ??= [];
  }

  /** How many sends or updates are waiting for release(). */
  held(): number {
    return this.holding?.length ?? 0;
  }

  release(): void {
    const waiting = this.holding ?? [];
    this.holding = undefined;
    for (const go of waiting) go();
  }

  sends(): Recorded[] {
    return this.records.filter((r) => r.kind === "send");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const body = req.method === "GET" ? undefined : await json(req);
    if (parts[0] !== "v3" || parts[1] !== "conversations") return send(res, 404, { error: "unknown path" });
    if (parts.length === 2 && req.method === "POST") {
      const member = (body?.members?.[0]?.id as string | undefined) ?? "nobody";
      const fault = this.faults.get(`create:${member}`);
      if (fault) return this.fail(res, fault);
      const id = `a:personal-${member}`;
      this.records.push({ kind: "create", conversationId: id, activityId: "", activity: body });
      return send(res, 201, { id });
    }
    const conversationId = parts[2]!;
    const fault = this.faults.get(conversationId) ?? this.faults.get(conversationId.split(";")[0]!);
    if (fault) return this.fail(res, fault);
    if (parts[3] === "pagedmembers" && req.method === "GET") {
      const roster = this.rosters.get(conversationId);
      if (!roster) return send(res, 404, { error: { code: "NotFound", message: "no such team" } });
      const start = Number(url.searchParams.get("continuationToken") ?? "0");
      const members = roster.slice(start, start + this.pageSize);
      const next = start + this.pageSize < roster.length ? String(start + this.pageSize) : undefined;
      return send(res, 200, { members, ...(next ? { continuationToken: next } : {}) });
    }
    if (parts[3] === "members" && parts[4] && req.method === "GET") {
      const member = this.rosters.get(conversationId)?.find((m) => m.id === parts[4]);
      return member ? send(res, 200, member) : send(res, 404, { error: { code: "NotFound" } });
    }
    if (parts[3] === "activities") {
      const holding = this.holding;
      if (holding) await new Promise<void>((resolve) => holding.push(resolve));
      if (req.method === "PUT" && parts[4]) {
        this.records.push({ kind: "update", conversationId, activityId: parts[4], activity: body });
        return send(res, 200, { id: parts[4] });
      }
      if (req.method === "POST") {
        const activityId = `m${this.next++}`;
        this.records.push({
          kind: "send",
          conversationId,
          activityId,
          activity: body,
          ...(parts[4] ? { replyToId: parts[4] } : {}),
        });
        return send(res, 201, { id: activityId });
      }
    }
    send(res, 404, { error: "unknown path" });
  }

  private fail(res: ServerResponse, fault: { status: number; retryAfter?: string }): void {
    if (fault.retryAfter) res.setHeader("retry-after", fault.retryAfter);
    send(res, fault.status, { error: { code: `Status${fault.status}`, message: "fault for the test" } });
  }
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected by the tests
async function json(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
