/**
 * The reply model every adapter renders: Slack to Block Kit, Teams to Adaptive Cards, the playground
 * to HTML. Text is markdown; adapters convert it with their renderer, which also neutralises mentions.
 */

/** What a button sends back: always an object with an `action`; answer buttons carry `level`. */
export type ActionValue = { action: string } & Record<string, string | number | boolean>;

export interface Button {
  /** Stable id; answer buttons begin with "answer" (the contract's action_id). */
  id: string;
  label: string;
  value: ActionValue;
  style?: "primary" | "danger";
}

/** A button with a description: one option of an assessment question. */
export interface Choice extends Button {
  description: string;
  /** Shown beside the option, e.g. "last quarter" or "your answer". */
  note?: string;
}

export type Block =
  | { type: "heading"; text: string }
  | { type: "markdown"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "table"; columns: string[]; rows: string[][] }
  | { type: "choices"; choices: Choice[] }
  | { type: "actions"; buttons: Button[] }
  | { type: "context"; text: string }
  | { type: "divider" }
  /** A picture (a chart): Slack uploads it as a file, Teams attaches it, the playground shows it inline. */
  | { type: "image"; data: Uint8Array; mime: "image/png"; alt: string; title: string };

export type Destination =
  /** The conversation the event came from. */
  | { kind: "origin" }
  /** A direct message with a user. */
  | { kind: "dm"; user: string }
  /** A channel (a team's channel). */
  | { kind: "channel"; channel: string };

export interface Reply {
  to: Destination;
  /** Only the acting user sees it (ephemeral in a channel). */
  private?: boolean;
  /** Replaces the message the button was clicked in, instead of posting a new one. */
  replace?: boolean;
  /** Answer in the thread the question was asked in, when there was one. */
  inThread?: boolean;
  /** Plain text for notifications and clients that cannot show blocks. */
  text: string;
  blocks: Block[];
  /** Assessment progress such as 3/8. */
  progress?: { current: number; total: number };
  /** Key of the conversation the reply belongs to, so adapters can remember its message (e.g. one assessment). */
  key?: string;
}

export function reply(
  text: string,
  blocks: Block[] = [{ type: "markdown", text }],
  extra: Partial<Reply> = {},
): Reply {
  return { to: { kind: "origin" }, text: plainText(text), blocks, ...extra };
}

/** A reply only the person who asked sees (ephemeral in Slack, a personal chat in Teams). */
export function privately(text: string): Reply {
  return { ...reply(text), private: true };
}

/**
 * User text quoted back as a code span: no platform makes a link, image, mention, broadcast or format
 * out of anything inside one (a bare URL included, which every chat client would otherwise link).
 * Backticks, which would end the span, become straight quotes.
 */
export function quoted(text: string): string {
  const clean = cleanUserText(text).replace(/`/g, "'").trim();
  return clean ? `\`${clean}\`` : "";
}

/** Characters that reorder or hide text (bidi overrides and isolates, zero-width marks): never echoed. */
export const HIDDEN_CHARACTERS = /[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

function cleanUserText(text: string): string {
  return stripMentionMarks(text).replace(HIDDEN_CHARACTERS, "").replace(/\s+/g, " ");
}

/**
 * A mention of a user, written by the engine only: adapters turn it into the platform's mention
 * (Slack <@U…>, a Teams name, the playground's name). Private-use characters delimit it, and they are
 * stripped from every incoming text, so a user cannot forge one.
 */
export function mentionToken(userId: string): string {
  return `\uE000${stripMentionMarks(userId)}\uE001`;
}

export const MENTION_TOKEN = /\uE000([^\uE000\uE001]{1,255})\uE001/g;

export function stripMentionMarks(text: string): string {
  return text.replace(/[\uE000\uE001]/g, "");
}

/** Markdown reduced to plain text for notification previews. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, "$1$2")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\\([\\`*_~[\]()<>#|!])/g, "$1")
    .slice(0, 300);
}
