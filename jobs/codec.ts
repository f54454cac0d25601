import type { Block, Reply } from "../src/core/reply.js";

/** A reply as job data: JSON, with image bytes as base64. */
export function encodeReply(reply: Reply): string {
  // The holder's own value: a Buffer has turned itself into {type, data} by the time `value` is seen.
  return JSON.stringify(reply, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { base64: Buffer.from(raw).toString("base64") } : value;
  });
}

export function decodeReply(text: string): Reply {
  const reply = JSON.parse(text) as Reply;
  return {
    ...reply,
    blocks: reply.blocks.map((b): Block => {
      if (b.type !== "image") return b;
      const data = b.data as unknown as { base64: string };
      return { ...b, data: new Uint8Array(Buffer.from(data.base64, "base64")) };
    }),
  };
}

/** A reply's pictures apart from the rest, so each can be sent (and retried) on its own. */
export function splitImages(reply: Reply): { message?: Reply; images: Reply[] } {
  const images = reply.blocks.filter((b) => b.type === "image");
  const rest = reply.blocks.filter((b) => b.type !== "image");
  return {
    ...(rest.length > 0 ? { message: { ...reply, blocks: rest } } : {}),
    images: images.map((b) => ({ ...reply, blocks: [b] })),
  };
}
