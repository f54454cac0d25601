import type { Notifier, Sent, Target } from "../../core/notify.js";
import type { Reply } from "../../core/reply.js";
import type { RedisClient } from "../../store/client.js";
import { renderReply } from "./render.js";

const KEEP = 500;

/**
 * The playground's Notifier: what the bot sends first (nudges, summaries, the digest with its chart) goes
 * to an inbox in Redis that the page polls, so every process (web or worker) can deliver to it.
 */
export class PlaygroundNotifier implements Notifier {
  private readonly list: string;
  private readonly counter: string;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
  ) {
    this.list = `${keyPrefix}:{playground}:inbox`;
    this.counter = `${keyPrefix}:{playground}:inbox-seq`;
  }

  async send(target: Target, reply: Reply): Promise<Sent> {
    const pane = target.to.kind === "dm" ? `dm:${target.to.user}` : `channel:${target.to.channel}`;
    const n = await this.redis.incr(this.counter);
    await this.redis
      .multi()
      .rpush(this.list, JSON.stringify({ n, reply: renderReply(reply, pane) }))
      .ltrim(this.list, -KEEP, -1)
      .exec();
    return { id: String(n) };
  }

  /** Messages after a cursor, and the cursor to ask with next time (the latest when none is given). */
  async since(after: number | undefined): Promise<{ items: unknown[]; next: number }> {
    const next = Number((await this.redis.get(this.counter)) ?? 0);
    if (after === undefined || !Number.isFinite(after)) return { items: [], next };
    const all = (await this.redis.lrange(this.list, 0, -1)).map(
      (r) => JSON.parse(r) as { n: number; reply: unknown },
    );
    return { items: all.filter((i) => i.n > after).map((i) => i.reply), next };
  }
}
