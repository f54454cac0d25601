import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../src/core/conversation/ports.js";
import type { Logger } from "../../src/observability/logger.js";
import { type RunningApp, startApp } from "./app.js";
import { buttonsOf } from "./block-kit.js";

// biome-ignore lint/suspicious/noExplicitAny: recorded payloads are whatever the app sent
type Json = any;

export interface ApiCall {
  method: string;
  args: Json;
  /** The bearer token the call was made with. */
  token?: string;
  at: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Json;
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Json[];
  thread_ts?: string;
}

interface Fault {
  method: string;
  error?: string;
  status?: number;
  retryAfter?: number;
  /** Answer normally, but only after this many milliseconds. */
  delayMs?: number;
  times: number;
}

export interface Workspace {
  teamId: string;
  botUserId: string;
  botId: string;
}

/**
 * A small fake of Slack's Web API on 127.0.0.1: records every call and answers the methods the app uses
 * (auth.test, chat.*, conversations.open/members with pagination, users.info, views.publish,
 * oauth.v2.access) and response_url posts. Faults are injected per method: an error code, an HTTP
 * status, or a 429 with Retry-After.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly messages: StoredMessage[] = [];
  /** Every call and response_url post since start: reset() does not clear these. */
  private readonly allCalls: ApiCall[] = [];
  private readonly allResponses: ResponseUrlPost[] = [];
  /** conversations.members, per channel; a channel not listed answers not_in_channel. */
  readonly channels = new Map<string, string[]>();
  readonly bots = new Set<string>();
  /** Deactivated accounts (users.info deleted: true): still listed in conversations.members, as in Slack. */
  readonly deactivated = new Set<string>();
  /** Workspace admins or owners (users.info is_admin). */
  readonly admins = new Set<string>();
  /** Bytes posted to upload URLs, by file id. */
  readonly uploads = new Map<string, Buffer>();
  /** Files shared into a channel with files.completeUploadExternal. */
  readonly shared: { channel: string; id: string; title?: string; bytes?: Buffer }[] = [];
  readonly timezones = new Map<string, string>();
  /** Members per conversations.members page, whatever limit the app asks for (forces pagination). */
  pageSize = 2;
  /** What apps.connections.open answers to an app-level token (xapp-…): a Socket Mode server's URL. */
  socketUrl?: string;
  /** Workspaces by bot token (auth.test answers from here). */
  readonly tokens = new Map<string, Workspace>();
  private readonly faults: Fault[] = [];
  /** Methods whose calls wait for release() once `after` calls went through (see hold). */
  private readonly holds = new Map<string, { after: number; waiting: (() => void)[] }>();
  private seq = 0;
  private server!: Server;
  url = "";

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    fake.server = createServer((req, res) => {
      fake.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(JSON.stringify(body));
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections?.();
  }

  /** A new response_url for one command or click. */
  responseUrl(): string {
    return `${this.url}/respond/${++this.seq}`;
  }

  workspace(token: string, workspace: Workspace): void {
    this.tokens.set(token, workspace);
  }

  /** The next `times` calls of a method fail: with an error code, an HTTP status, or a 429 and Retry-After. */
  fail(method: string, fault: Omit<Fault, "method" | "times"> & { times?: number }): void {
    this.faults.push({ method, times: 1, ...fault });
  }

  /** How many Web API calls and response_url posts arrived since start (for waiting on work after an ack). */
  activity(): number {
    return this.allCalls.length + this.allResponses.length;
  }

  /**
   * For a bot in another process (no idle() to await): waits until the work after an ack reached this fake
   * and it has been quiet for a moment, at most `timeoutMs`.
   */
  async quiet(activityBefore: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = this.activity();
    let stillSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      const now = this.activity();
      if (now !== last) {
        last = now;
        stillSince = Date.now();
      } else if (now > activityBefore && Date.now() - stillSince >= 150) {
        return;
      }
    }
  }

  /**
   * Calls of a method after the first `after` ones wait until release(): a request whose sender is gone by
   * then (its process died) never reached Slack and is neither recorded nor answered.
   */
  hold(method: string, after = 0): void {
    this.holds.set(method, { after, waiting: [] });
  }

  /** How many calls of a method are waiting for release(). */
  held(method: string): number {
    return this.holds.get(method)?.waiting.length ?? 0;
  }

  release(): void {
    const held = [...this.holds.values()];
    this.holds.clear();
    for (const h of held) for (const go of h.waiting) go();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages posted to a conversation, updates applied, oldest first. */
  messagesIn(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  lastMessageIn(channel: string): StoredMessage | undefined {
    return this.messagesIn(channel).at(-1);
  }

  /** Every payload with blocks the app sent since start: messages, ephemerals, updates, response_url posts and views. */
  payloads(): { where: string; surface: "message" | "view"; payload: Json }[] {
    const out: { where: string; surface: "message" | "view"; payload: Json }[] = [];
    for (const c of this.allCalls) {
      if (["chat.postMessage", "chat.update", "chat.postEphemeral"].includes(c.method)) {
        out.push({ where: c.method, surface: "message", payload: c.args });
      }
      if (c.method === "views.publish") out.push({ where: c.method, surface: "view", payload: c.args.view });
    }
    for (const r of this.allResponses)
      out.push({ where: "response_url", surface: "message", payload: r.body });
    return out;
  }

  /** Every App Home view published for a user since start, oldest first. */
  viewsFor(user: string): { type: string; blocks: Json[] }[] {
    return this.allCalls
      .filter((c) => c.method === "views.publish" && c.args.user_id === user)
      .map((c) => c.args.view);
  }

  /** Forgets the calls and response_url posts recorded so far (stored messages stay, as in Slack). */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /** Waits until a predicate over the recorded calls holds (work may finish after the HTTP answer). */
  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the fake Slack");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: Json; headers?: Record<string, string> }> {
    const path = (req.url ?? "").split("?")[0]!;
    if (path.startsWith("/upload/")) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.uploads.set(path.slice("/upload/".length), Buffer.concat(chunks));
      return { status: 200, body: { ok: true } };
    }
    const raw = await readAll(req);
    if (path.startsWith("/respond/")) {
      const post = { id: path.slice("/respond/".length), body: JSON.parse(raw), at: Date.now() };
      this.responses.push(post);
      this.allResponses.push(post);
      return { status: 200, body: { ok: true } };
    }
    if (!path.startsWith("/api/")) return { status: 404, body: { ok: false, error: "unknown_path" } };
    const method = path.slice("/api/".length);
    const hold = this.holds.get(method);
    if (hold) {
      if (hold.after > 0) hold.after--;
      else {
        let gone = false;
        req.socket.once("close", () => {
          gone = true;
        });
        await new Promise<void>((resolve) => hold.waiting.push(resolve));
        if (gone || req.socket.destroyed) return new Promise(() => undefined);
      }
    }
    const args = parseArgs(raw, req.headers["content-type"] ?? "");
    const token =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ??
      (typeof args.token === "string" ? args.token : undefined);
    const call = { method, args, token, at: Date.now() };
    this.calls.push(call);
    this.allCalls.push(call);
    const fault = this.faults.find((f) => f.method === method && f.times > 0);
    if (fault) {
      fault.times--;
      if (fault.delayMs) {
        await new Promise((r) => setTimeout(r, fault.delayMs));
        return { status: 200, body: this.answer(method, args, token) };
      }
      if (fault.retryAfter !== undefined) {
        return {
          status: 429,
          body: { ok: false, error: "ratelimited" },
          headers: { "retry-after": String(fault.retryAfter) },
        };
      }
      if (fault.status) return { status: fault.status, body: { ok: false } };
      return { status: 200, body: { ok: false, error: fault.error ?? "internal_error" } };
    }
    return { status: 200, body: this.answer(method, args, token) };
  }

  private answer(method: string, args: Json, token: string | undefined): Json {
    const ws = (token && this.tokens.get(token)) || { teamId: "T1", botUserId: "UBOT", botId: "BBOT" };
    switch (method) {
      case "auth.test":
        if (!token?.startsWith("xoxb-")) return { ok: false, error: "invalid_auth" };
        return {
          ok: true,
          url: "https://example.slack.com/",
          team: "Example",
          user: "maturity-bot",
          team_id: ws.teamId,
          user_id: ws.botUserId,
          bot_id: ws.botId,
        };
      case "apps.connections.open":
        if (!token?.startsWith("xapp-")) return { ok: false, error: "not_allowed_token_type" };
        if (!this.socketUrl) return { ok: false, error: "socket_mode_not_enabled" };
        return { ok: true, url: this.socketUrl };
      case "chat.postMessage": {
        if (!args.channel) return { ok: false, error: "channel_not_found" };
        const ts = this.ts();
        this.messages.push({
          channel: args.channel,
          ts,
          text: args.text,
          blocks: args.blocks ?? [],
          thread_ts: args.thread_ts,
        });
        return { ok: true, channel: args.channel, ts, message: { text: args.text, ts } };
      }
      case "chat.update": {
        const m = this.messages.find((x) => x.channel === args.channel && x.ts === args.ts);
        if (!m) return { ok: false, error: "message_not_found" };
        m.text = args.text;
        m.blocks = args.blocks ?? [];
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.ts() };
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users).split(",")[0]}` } };
      case "conversations.members": {
        const all = this.channels.get(args.channel);
        if (!all) return { ok: false, error: "not_in_channel" };
        const start = args.cursor
          ? Number(Buffer.from(String(args.cursor), "base64").toString("utf8").replace("offset:", ""))
          : 0;
        const page = all.slice(start, start + this.pageSize);
        const next =
          start + this.pageSize < all.length
            ? Buffer.from(`offset:${start + this.pageSize}`).toString("base64")
            : "";
        return { ok: true, members: page, response_metadata: { next_cursor: next } };
      }
      case "users.info":
        return {
          ok: true,
          user: {
            id: args.user,
            name: String(args.user).toLowerCase(),
            is_bot: this.bots.has(args.user),
            is_admin: this.admins.has(args.user),
            deleted: this.deactivated.has(args.user),
            tz: this.timezones.get(args.user) ?? "Europe/Berlin",
          },
        };
      case "files.getUploadURLExternal": {
        if (!args.filename || !Number(args.length)) return { ok: false, error: "invalid_arguments" };
        const id = `F${++this.seq}`;
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
        if (files.length === 0 || files.some((f) => !this.uploads.has(f.id))) {
          return { ok: false, error: "file_not_found" };
        }
        for (const f of files) {
          this.shared.push({
            channel: args.channel_id,
            id: f.id,
            title: f.title,
            bytes: this.uploads.get(f.id),
          });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case "views.publish":
        return { ok: true, view: { id: `V${this.seq++}`, type: "home" } };
      case "oauth.v2.access":
        return {
          ok: true,
          app_id: "A1",
          authed_user: { id: "UINSTALLER" },
          scope: "commands,chat:write",
          token_type: "bot",
          access_token: "xoxb-installed-T2",
          bot_user_id: "UBOT2",
          team: { id: "T2", name: "Second" },
          enterprise: null,
          is_enterprise_install: false,
        };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private ts(): string {
    return `1700000000.${String(++this.seq).padStart(6, "0")}`;
  }
}

function parseArgs(raw: string, contentType: string): Json {
  if (contentType.includes("application/json")) return raw ? JSON.parse(raw) : {};
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface SentRequest {
  status: number;
  body: string;
  /** Milliseconds from sending the request to its complete answer. */
  ms: number;
}

/** Signs a body like Slack: v0 HMAC-SHA256 of `v0:${timestamp}:${body}` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** Sends what Slack sends: signed slash commands and button clicks (form-encoded) and events (JSON). */
export class SlackSender {
  teamId = "T1";
  /**
   * Awaited after each answer (not timed): the app acks first and works after, so tests that look at
   * the replies right after a request wait here for the work, at most about as long as Slack would.
   */
  settle?: (activityBefore: number) => Promise<void>;
  /** The last request sent, for repeat(). */
  private last?: { body: string; contentType: string };

  constructor(
    readonly appUrl: string,
    readonly secret: string,
    readonly fake: FakeSlack,
  ) {}

  async post(
    body: string,
    contentType: string,
    options: { timestamp?: number; signature?: string; headers?: Record<string, string>; path?: string } = {},
  ): Promise<SentRequest> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    this.last = { body, contentType };
    const before = this.fake.activity();
    const started = performance.now();
    const res = await fetch(`${this.appUrl}${options.path ?? "/slack/events"}`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": options.signature ?? sign(this.secret, timestamp, body),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    await this.settle?.(before);
    return { status: res.status, body: text, ms };
  }

  /**
   * The last request again, byte for byte and freshly signed: a duplicate delivery of the same command or
   * click (a client or proxy sending it twice), or with X-Slack-Retry-Num a retried event.
   */
  repeat(options: { retryNum?: number } = {}) {
    if (!this.last) throw new Error("nothing sent yet to repeat");
    const headers = options.retryNum !== undefined ? retryHeaders(options.retryNum) : {};
    return this.post(this.last.body, this.last.contentType, { headers });
  }

  /** Registers a channel as a team: its members (the first runs `setup` and becomes its lead), the bot among them. */
  async registerTeam(channel: string, members: string[], name = channel.toLowerCase().replace(/^c/, "")) {
    this.fake.channels.set(channel, [...members, "UBOT"]);
    const res = await this.command(members[0]!, channel, "setup", { channelName: name });
    if (res.status !== 200) throw new Error(`setup of ${channel} answered ${res.status}`);
  }

  /** The user opens the app's Home tab: the view published for them. */
  async openHome(user: string): Promise<{ type: string; blocks: Json[] }> {
    const before = this.fake.viewsFor(user).length;
    await this.event({ type: "app_home_opened", user, channel: `D${user}`, tab: "home", event_ts: "1" });
    const views = this.fake.viewsFor(user);
    if (views.length !== before + 1) throw new Error(`${views.length - before} views published for ${user}`);
    return views.at(-1)!;
  }

  /**
   * Answers every remaining question of the user's current assessment (the latest message in their direct
   * message) by clicking "Level <level>", as the user would; returns the message that follows the last one.
   */
  async answerAll(user: string, level: number): Promise<StoredMessage> {
    const dm = `D${user}`;
    for (let i = 0; i < 20 && /^Question \d+\//.test(this.fake.lastMessageIn(dm)?.text ?? ""); i++) {
      const question = this.fake.lastMessageIn(dm)!;
      const res = await this.click(
        user,
        question,
        findButton(question.blocks, (b) => b.text.text === `Level ${level}`),
      );
      if (res.status !== 200) throw new Error(`a click answered ${res.status}`);
    }
    return this.fake.lastMessageIn(dm)!;
  }

  /** `/maturity <text>` typed by a user in a channel ("D…" ids are direct messages). */
  command(
    user: string,
    channel: string,
    text: string,
    options: { channelName?: string; teamId?: string } = {},
  ) {
    const form = new URLSearchParams(
      slashCommand(this.fake, user, channel, text, { ...options, teamId: options.teamId ?? this.teamId }),
    );
    return this.post(form.toString(), "application/x-www-form-urlencoded");
  }

  /** An Events API delivery; a retry repeats the event_id with X-Slack-Retry-Num. */
  event(event: Json, options: { eventId?: string; retryNum?: number; teamId?: string } = {}) {
    const body = JSON.stringify(eventCallback(event, { ...options, teamId: options.teamId ?? this.teamId }));
    const headers = options.retryNum !== undefined ? retryHeaders(options.retryNum) : {};
    return this.post(body, "application/json", { headers });
  }

  /** A click on a button of a stored message, as the user sees it now. */
  click(user: string, message: StoredMessage, button: Json, options: { teamId?: string } = {}) {
    const payload = blockActions(this.fake, user, message, button, {
      ...options,
      teamId: options.teamId ?? this.teamId,
    });
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      "application/x-www-form-urlencoded",
    );
  }

  /** A click on a button of the user's App Home (no channel, no response_url). */
  clickHome(user: string, button: Json, options: { teamId?: string } = {}) {
    const payload = homeActions(user, button, { ...options, teamId: options.teamId ?? this.teamId });
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      "application/x-www-form-urlencoded",
    );
  }
}

/**
 * What Slack sends, whatever carries it (a signed HTTP request, or a Socket Mode envelope): a slash
 * command's fields (form fields over HTTP, a JSON object of strings in Socket Mode).
 */
export function slashCommand(
  fake: FakeSlack,
  user: string,
  channel: string,
  text: string,
  options: { channelName?: string; teamId: string },
): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: options.teamId,
    team_domain: "example",
    channel_id: channel,
    channel_name: options.channelName ?? (channel.startsWith("D") ? "directmessage" : channel.toLowerCase()),
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/maturity",
    text,
    api_app_id: "A1",
    is_enterprise_install: "false",
    response_url: fake.responseUrl(),
    trigger_id: `trigger-${randomUUID()}`,
  };
}

/** An Events API event_callback around an event. */
export function eventCallback(event: Json, options: { eventId?: string; teamId: string }): Json {
  const { teamId } = options;
  return {
    token: "legacy-verification-token",
    team_id: teamId,
    api_app_id: "A1",
    type: "event_callback",
    event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: "UBOT", is_bot: true, is_enterprise_install: false },
    ],
  };
}

/** A block_actions payload: a click on a button of a stored message, as the user sees it now. */
export function blockActions(
  fake: FakeSlack,
  user: string,
  message: StoredMessage,
  button: Json,
  options: { teamId: string },
): Json {
  const { teamId } = options;
  const dm = message.channel.startsWith("D");
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: teamId },
    api_app_id: "A1",
    token: "legacy-verification-token",
    container: {
      type: "message",
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: teamId, domain: "example" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: dm ? "directmessage" : message.channel.toLowerCase() },
    message: {
      type: "message",
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    response_url: fake.responseUrl(),
    actions: [actionOf(button)],
  };
}

/** A block_actions payload from the user's App Home (no channel, no response_url). */
export function homeActions(user: string, button: Json, options: { teamId: string }): Json {
  const { teamId } = options;
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: teamId },
    api_app_id: "A1",
    token: "legacy-verification-token",
    container: { type: "view", view_id: "VHOME" },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: teamId, domain: "example" },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: "VHOME", type: "home", team_id: teamId, blocks: [] },
    actions: [actionOf(button)],
  };
}

/** The headers of Slack's retry of a delivery it got no timely 200 for. */
function retryHeaders(retryNum: number): Record<string, string> {
  return { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_timeout" };
}

let actionSeq = 0;
function actionOf(button: Json) {
  return {
    type: "button",
    block_id: "b1",
    action_id: button.action_id,
    text: button.text,
    value: button.value,
    style: button.style,
    action_ts: `${Math.floor(Date.now() / 1000)}.${String(++actionSeq).padStart(6, "0")}`,
  };
}

/** The button of a message whose action_id or text matches. */
export function findButton(blocks: Json[], match: RegExp | ((b: Json) => boolean)): Json {
  const test =
    typeof match === "function"
      ? match
      : (b: Json) => match.test(b.action_id) || match.test(b.text?.text ?? "");
  const found = buttonsOf(blocks).find(test);
  if (!found)
    throw new Error(
      `no button matching ${match} among ${buttonsOf(blocks)
        .map((b: Json) => b.action_id)
        .join(", ")}`,
    );
  return found;
}

/** How long a sender waits for the work after an ack: Slack's 3 s less a margin. */
export const SETTLE_MS = 2000;

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const BOT_TOKEN = "xoxb-test-1-bot-token";

/** The real app with Slack configured against the fake (single workspace T1), and a sender signing like Slack. */
export async function startSlackApp(
  name: string,
  fake: FakeSlack,
  options: {
    env?: Record<string, string>;
    prefix?: string;
    clock?: Clock;
    logger?: Logger;
    /** Run the queue workers in the app (nudges, reminders, summaries), with short retry delays. */
    workers?: boolean;
  } = {},
): Promise<{ app: RunningApp; slack: SlackSender }> {
  fake.workspace(BOT_TOKEN, { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  const app = await startApp(
    name,
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      ...options.env,
    },
    {
      ...(options.prefix ? { prefix: options.prefix } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.workers ? { workers: true, backoffMs: 50 } : {}),
    },
  );
  const slack = new SlackSender(app.url, SIGNING_SECRET, fake);
  slack.settle = () => app.slack?.idle(SETTLE_MS) ?? Promise.resolve();
  return { app, slack };
}
