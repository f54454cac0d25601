import { type Button, MENTION_TOKEN, plainText, type Reply } from "../../../core/reply.js";
import { escapeTeams, toTeamsMarkdown } from "./markdown.js";
import { splitTeamsMarkdown } from "./split.js";

/**
 * The reply model to Adaptive Cards 1.5 for Teams, always within Teams' limits: a message over about
 * 28 KB is refused, so a long reply becomes several cards (text split between paragraphs or words,
 * never inside markup) and a picture travels as an image attachment of its own message.
 */

export const LIMITS = {
  /** Teams refuses a message over about 28 KB; the card leaves room for the activity around it. */
  cardBytes: 24 * 1024,
  /** The whole activity as sent (card, summary, entities). */
  messageBytes: 28 * 1024,
  textBlock: 3000,
  buttonTitle: 60,
  tableRows: 40,
  /** Actions per ActionSet that every client shows (the Adaptive Cards default host config). */
  actionsPerSet: 5,
  summary: 300,
} as const;

export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

export interface Mention {
  type: "mention";
  text: string;
  mentioned: { id: string; name: string };
}

export interface SubmitAction {
  type: "Action.Submit";
  title: string;
  data: Record<string, string | number | boolean>;
  style?: "positive" | "destructive";
}

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: "1.5";
  body: CardElement[];
  fallbackText?: string;
  msteams: { width: "Full"; entities?: Mention[] };
}

/** One message Teams can show: a card, or a picture. */
export interface TeamsMessage {
  /** Plain text for notifications. */
  summary: string;
  card?: AdaptiveCard;
  image?: { contentType: "image/png"; contentUrl: string; name: string };
}

/** Display names by user id: a mention of a known user becomes a Teams mention, else plain text. */
export type Names = (id: string) => string | undefined;

/** The key in an Action.Submit's data that carries the button's id (the rest is the button's value). */
export const ACTION_ID_KEY = "actionId";

export function renderMessages(reply: Reply, names: Names = () => undefined): TeamsMessage[] {
  const summary = summaryOf(reply.text, names);
  const mentions = new MentionSet(names);
  const elements = renderBlocks(reply, mentions);
  const out: TeamsMessage[] = packCards(elements, mentions).map((card) => ({ summary, card }));
  for (const block of reply.blocks) {
    if (block.type !== "image") continue;
    out.push({
      summary: plain(block.alt).slice(0, LIMITS.summary) || summary,
      image: {
        contentType: "image/png",
        contentUrl: `data:image/png;base64,${Buffer.from(block.data).toString("base64")}`,
        name: `${block.title.replace(/[^\w.-]+/g, "-").slice(0, 60) || "chart"}.png`,
      },
    });
  }
  return out;
}

/**
 * The plain text Teams shows for a message in notifications and previews (and where a card cannot be
 * shown): mentions as names, and nothing shaped like a tag, whoever wrote it (a channel's or a person's
 * name), so that no client can read <at>, <a href> or a comment into it.
 */
export function summaryOf(text: string, names: Names = () => undefined): string {
  const out = text
    .replace(MENTION_TOKEN, (_, id: string) => names(id) ?? "a team member")
    .replace(/[\uE000\uE001]/g, "")
    .replace(/<[^<>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return (out.length > LIMITS.summary ? `${out.slice(0, LIMITS.summary - 1)}…` : out) || "maturity-bot";
}

function renderBlocks(reply: Reply, mentions: MentionSet): CardElement[] {
  const out: CardElement[] = [];
  let separate = false;
  const push = (element: CardElement) => {
    out.push(separate && out.length > 0 ? { ...element, separator: true, spacing: "Medium" } : element);
    separate = false;
  };
  const md = (text: string) => mentions.show(toTeamsMarkdown(text));
  if (reply.progress) {
    const { current, total } = reply.progress;
    const done = Math.max(0, Math.min(total, current - 1));
    push(
      textBlock(`Progress ${"●".repeat(done)}${"○".repeat(Math.max(0, total - done))} ${current}/${total}`, {
        size: "Small",
        isSubtle: true,
      }),
    );
  }
  for (const block of reply.blocks) {
    switch (block.type) {
      case "heading": {
        const text = escapeTeams(plain(block.text, mentions));
        if (text) push(textBlock(text, { size: "Large", weight: "Bolder" }));
        break;
      }
      case "markdown":
        for (const text of splitTeamsMarkdown(md(block.text), LIMITS.textBlock)) push(textBlock(text));
        break;
      case "context":
        for (const text of splitTeamsMarkdown(md(block.text), LIMITS.textBlock))
          push(textBlock(text, { size: "Small", isSubtle: true }));
        break;
      case "fields":
        if (block.fields.length > 0) {
          push({
            type: "FactSet",
            facts: block.fields.map((f) => ({
              title: shorten(escapeTeams(plain(f.label, mentions)), 200),
              value: splitTeamsMarkdown(md(f.value).replace(/\n+/g, " "), LIMITS.textBlock)[0] || "–",
            })),
          });
        }
        break;
      case "table":
        for (const table of tables(block.columns, block.rows, mentions)) push(table);
        break;
      case "choices":
        for (const choice of block.choices) {
          const items: CardElement[] = [];
          const description = splitTeamsMarkdown(md(choice.description), LIMITS.textBlock)[0];
          if (description) items.push(textBlock(description));
          if (choice.note) {
            items.push(textBlock(`_${escapeTeams(plain(choice.note, mentions))}_`, { isSubtle: true }));
          }
          items.push({ type: "ActionSet", actions: [submit(choice)] });
          push({
            type: "Container",
            ...(choice.style === "primary" ? { style: "emphasis" } : {}),
            items,
          });
        }
        break;
      case "actions":
        for (let i = 0; i < block.buttons.length; i += LIMITS.actionsPerSet) {
          push({ type: "ActionSet", actions: block.buttons.slice(i, i + LIMITS.actionsPerSet).map(submit) });
        }
        break;
      case "divider":
        separate = true;
        break;
      case "image":
        // Sent as an image attachment of its own (see renderMessages).
        break;
    }
  }
  if (out.length === 0) out.push(textBlock(escapeTeams(plain(reply.text, mentions)) || "…"));
  return out;
}

function textBlock(text: string, extra: Record<string, string | boolean> = {}): CardElement {
  return { type: "TextBlock", text, wrap: true, ...extra };
}

function submit(button: Button): SubmitAction {
  const action: SubmitAction = {
    type: "Action.Submit",
    title: shorten(plain(button.label), LIMITS.buttonTitle) || "Open",
    data: { ...button.value, [ACTION_ID_KEY]: button.id },
  };
  if (button.style === "primary") action.style = "positive";
  if (button.style === "danger") action.style = "destructive";
  return action;
}

/** A table as Adaptive Card 1.5 Tables of at most LIMITS.tableRows rows each, the header repeated. */
function tables(columns: string[], rows: string[][], mentions: MentionSet): CardElement[] {
  const cell = (text: string, bold = false): CardElement => ({
    type: "TableCell",
    items: [
      textBlock(shorten(escapeTeams(plain(text, mentions)), 200) || "–", bold ? { weight: "Bolder" } : {}),
    ],
  });
  const header = { type: "TableRow", cells: columns.map((c) => cell(c, true)) };
  const out: CardElement[] = [];
  for (let i = 0; i < Math.max(rows.length, 1); i += LIMITS.tableRows) {
    out.push({
      type: "Table",
      // firstRowAsHeader is true by default: the header row is the first.
      showGridLines: false,
      columns: columns.map((_, c) => ({ width: c === 0 ? 3 : 1 })),
      rows: [
        header,
        ...rows.slice(i, i + LIMITS.tableRows).map((r) => ({
          type: "TableRow",
          cells: columns.map((_, c) => cell(r[c] ?? "")),
        })),
      ],
    });
  }
  return out;
}

/** Elements packed into as few cards as fit LIMITS.cardBytes each, in order. */
function packCards(elements: CardElement[], mentions: MentionSet): AdaptiveCard[] {
  const cards: AdaptiveCard[] = [];
  let body: CardElement[] = [];
  const card = (items: CardElement[]): AdaptiveCard => {
    const text = JSON.stringify(items);
    const entities = mentions.used.filter((m) => text.includes(JSON.stringify(m.text).slice(1, -1)));
    return {
      type: "AdaptiveCard",
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      version: "1.5",
      body: items,
      msteams: { width: "Full", ...(entities.length > 0 ? { entities } : {}) },
    };
  };
  const bytes = (c: AdaptiveCard) => Buffer.byteLength(JSON.stringify(c));
  for (const element of elements) {
    const candidate = [...body, element];
    if (body.length > 0 && bytes(card(candidate)) > LIMITS.cardBytes) {
      cards.push(card(body));
      body = [element];
    } else body = candidate;
  }
  if (body.length > 0) cards.push(card(body));
  return cards;
}

/** The engine's mention tokens as Teams mentions (<at>Name</at> plus an entity) for users whose name is known. */
class MentionSet {
  readonly used: Mention[] = [];
  constructor(private readonly names: Names) {}

  /** Replaces tokens in text that is already escaped: no user text can forge a mention. */
  show(text: string): string {
    return text.replace(MENTION_TOKEN, (_, id: string) => {
      const name = this.names(id);
      if (!name) return "a team member";
      const escaped = escapeTeams(name.replace(/\s+/g, " ").trim()).slice(0, 100);
      const at = `<at>${escaped}</at>`;
      if (!this.used.some((m) => m.text === at && m.mentioned.id === id)) {
        this.used.push({ type: "mention", text: at, mentioned: { id, name } });
      }
      return at;
    });
  }

  /** A name for plain contexts (headings, labels): no mention entity. */
  plainName(id: string): string {
    return this.names(id) ?? "a team member";
  }
}

/** Markdown reduced to plain text (titles, labels, cells); mention tokens become names. */
function plain(text: string, mentions?: MentionSet): string {
  return plainText(text.replace(MENTION_TOKEN, (_, id: string) => mentions?.plainName(id) ?? "a team member"))
    .replace(/[\uE000\uE001]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(" ", max - 1);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1).trimEnd()}…`;
}
