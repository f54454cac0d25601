import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import {
  blockActions,
  eventCallback,
  type FakeSlack,
  homeActions,
  type StoredMessage,
  slashCommand,
} from "./fake-slack.js";

// biome-ignore lint/suspicious/noExplicitAny: envelopes and acks are whatever Slack and the app send
type Json = any;

export interface Envelope {
  envelope_id: string;
  type: "events_api" | "slash_commands" | "interactive";
  payload: Json;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Json;
  at: number;
}

/**
 * Slack's side of Socket Mode on 127.0.0.1, as @slack/socket-mode's SocketModeClient meets it: the fake
 * Web API's apps.connections.open hands out this server's ws:// URL (with a ticket); on connect the server
 * sends `hello`, then the envelopes a test gives it (events_api, slash_commands, interactive), and records
 * the acks the app sends back by envelope_id. It pings like Slack does, and can ask the app to reconnect
 * (`disconnect`, reason refresh_requested).
 */
export class FakeSocketMode {
  readonly acks: Ack[] = [];
  /** Every connection the app opened, newest last; tickets the app connected with. */
  readonly tickets: string[] = [];
  private readonly sockets = new Set<WebSocket>();
  private current?: WebSocket;
  private pinger?: NodeJS.Timeout;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly fake: FakeSlack,
    private readonly port: number,
  ) {}

  /** Starts the server and points the fake Web API's apps.connections.open at it. */
  static async start(fake: FakeSlack): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const socket = new FakeSocketMode(server, fake, (server.address() as AddressInfo).port);
    server.on("connection", (ws, req) => socket.connected(ws, req.url ?? ""));
    socket.ticket();
    socket.pinger = setInterval(() => {
      for (const ws of socket.sockets) ws.ping();
    }, 5000);
    return socket;
  }

  /** A new ticket for the next apps.connections.open, as Slack issues one per connection. */
  private ticket(): void {
    this.fake.socketUrl = `ws://127.0.0.1:${this.port}/link/?ticket=${randomUUID()}&app_id=A1`;
  }

  private connected(ws: WebSocket, url: string): void {
    this.tickets.push(new URL(url, "http://x").searchParams.get("ticket") ?? "");
    this.ticket();
    this.sockets.add(ws);
    this.current = ws;
    ws.on("close", () => {
      this.sockets.delete(ws);
      if (this.current === ws) this.current = undefined;
    });
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Json };
      if (message.envelope_id)
        this.acks.push({ ...message, envelope_id: message.envelope_id, at: Date.now() });
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: "A1" },
      }),
    );
  }

  /** Whether the app holds an open connection. */
  get open(): boolean {
    return this.current?.readyState === 1;
  }

  /** Sends an envelope on the app's connection; returns it (its envelope_id is what the ack must name). */
  send(envelope: Omit<Envelope, "envelope_id"> & { envelope_id?: string }): Envelope {
    if (!this.current) throw new Error("the app has no Socket Mode connection");
    const full = { envelope_id: randomUUID(), ...envelope } as Envelope;
    this.current.send(JSON.stringify(full));
    return full;
  }

  /** `/maturity <text>` as a slash_commands envelope. */
  command(user: string, channel: string, text: string, options: { channelName?: string } = {}): Envelope {
    return this.send({
      type: "slash_commands",
      payload: slashCommand(this.fake, user, channel, text, { teamId: "T1", ...options }),
      accepts_response_payload: true,
    });
  }

  /** An Events API event as an events_api envelope. */
  event(event: Json, options: { eventId?: string } = {}): Envelope {
    return this.send({
      type: "events_api",
      payload: eventCallback(event, { teamId: "T1", ...options }),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
    });
  }

  /** A click on a button of a stored message (or of App Home) as an interactive envelope. */
  click(user: string, message: StoredMessage | "home", button: Json): Envelope {
    return this.send({
      type: "interactive",
      payload:
        message === "home"
          ? homeActions(user, button, { teamId: "T1" })
          : blockActions(this.fake, user, message, button, { teamId: "T1" }),
      accepts_response_payload: false,
    });
  }

  /** Slack delivering an envelope again (it saw no ack in time): the same envelope, retry_attempt 1. */
  redeliver(envelope: Envelope): Envelope {
    return this.send({ ...envelope, retry_attempt: 1, retry_reason: "timeout" });
  }

  acksOf(envelopeId: string): Ack[] {
    return this.acks.filter((a) => a.envelope_id === envelopeId);
  }

  /** Waits for the app's ack of an envelope; resolves with how long it took from now. */
  async acked(envelope: Envelope, count = 1, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acksOf(envelope.envelope_id).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`no ack of ${envelope.type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Asks the app to reconnect, as Slack does when it recycles a connection. */
  disconnect(reason = "refresh_requested"): void {
    this.current?.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake" } }));
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
