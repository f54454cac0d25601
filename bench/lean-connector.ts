import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A lean fake Bot Connector for load: answers sends, replies and updates of activities with an id,
 * opens conversations, and keeps counts only (never the activities).
 */
export class LeanConnector {
  readonly calls = new Map<string, number>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LeanConnector> {
    let fake: LeanConnector | undefined;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const what = `${req.method} ${(req.url ?? "/").split("/").filter(Boolean)[3] ?? "conversations"}`;
        fake!.calls.set(what, (fake!.calls.get(what) ?? 0) + 1);
        fake!.seq += 1;
        res.writeHead(req.method === "POST" && what === "POST conversations" ? 201 : 200, {
          "content-type": "application/json",
        });
        res.end(JSON.stringify({ id: `activity-${fake!.seq}` }));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new LeanConnector(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
