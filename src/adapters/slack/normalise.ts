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

/**
 * Slack's user mentions (`<@U123>`, `<@U123|name>`) taken out of a text: the bot's own mention is dropped,
 * every other one becomes "@name" in the text and an entry of `mentions`, so the core never sees Slack syntax.
 */
export function slackMentions(
  text: string,
  botUserId?: string,
): { text: string; mentions: { id: string; name?: string }[] } {
  const mentions: { id: string; name?: string }[] = [];
  const out = text
    .replace(/<@([A-Z0-9]{1,40})(?:\|([^>]{0,80}))?>/gi, (_, id: string, name?: string) => {
      if (id === botUserId) return "";
      if (!mentions.some((m) => m.id === id) && mentions.length < 50) {
        mentions.push({ id, ...(name ? { name } : {}) });
      }
      return `@${name ?? id}`;
    })
    .replace(/\s{2,}/g, " ")
    .trim();
  return { text: out, mentions };
}
