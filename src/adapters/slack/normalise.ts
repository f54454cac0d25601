import { createHash } from "node:crypto";

/** A direct message: Slack's D… conversation ids, or the "directmessage" name slash commands carry. */
export function isDm(channelId: string | undefined, channelName?: string): boolean {
  return channelName === "directmessage" || (channelId ?? "").startsWith("D");
}

/** A delivery id for payloads without an event_id (commands, button clicks): a hash of what makes them unique. */
export function deliveryHash(kind: string, ...parts: (string | undefined)[]): string {
  return `${kind}:${createHash("sha256")
    .update(parts.map((p) => p ?? "").join("\u0000"))
    .digest("hex")
    .slice(0, 40)}`;
}

/** Message text for the engine: Slack's entities decoded (&amp; &lt; &gt;), within the event schema's limit. */
export function messageText(text: string | undefined): string {
  return (text ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").slice(0, 4000);
}
