import { randomBytes } from "node:crypto";
import { type Block, type Button, type Choice, MENTION_TOKEN, type Reply } from "../../../core/reply.js";
import { escapeMrkdwn, toMrkdwn } from "./mrkdwn.js";

/**
 * The reply model to Block Kit, always within Slack's limits: a message Slack would reject with
 * invalid_blocks is a message the user never sees, so every text is split or shortened here, never sent
 * over a limit.
 */

/** Slack's Block Kit limits that the renderer keeps (and the tests check). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  contextText: 2000,
  /** The top-level fallback text: Slack allows 40,000; notifications show far less. */
  messageText: 3000,
} as const;

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}
export interface SlackButton {
  type: "button";
  text: PlainText;
  action_id: string;
  value: string;
  style?: "primary" | "danger";
}
export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Mrkdwn; fields?: Mrkdwn[]; accessory?: SlackButton }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "actions"; elements: SlackButton[] }
  | { type: "divider" };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** A reply as a message: blocks plus the plain `text` Slack shows in notifications. */
export function renderMessage(reply: Reply): SlackMessage {
  return { text: fallbackText(reply.text), blocks: renderBlocks(reply.blocks, LIMITS.messageBlocks) };
}

/** Blocks for a view (App Home): the same rendering, with a view's block budget. */
export function renderView(blocks: Block[]): SlackBlock[] {
  return renderBlocks(blocks, LIMITS.viewBlocks);
}

/** The notification text: plain text, escaped, mentions as Slack mentions, never empty. */
export function fallbackText(text: string): string {
  const mentions = new Mentions();
  const escaped = escapeMrkdwn(mentions.hide(text.replace(/\s+/g, " ").trim()));
  const out = shorten(mentions.show(escaped), LIMITS.messageText);
  return out || "maturity-bot";
}

export function renderBlocks(blocks: Block[], maxBlocks: number): SlackBlock[] {
  const expanded = render(blocks, "expanded");
  const rendered = expanded.length <= maxBlocks ? expanded : render(blocks, "compact");
  return keepWithin(rendered, maxBlocks);
}

type ChoiceStyle = "expanded" | "compact";

function render(blocks: Block[], choices: ChoiceStyle): SlackBlock[] {
  const ids = new ActionIds();
  const out: SlackBlock[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "heading": {
        const text = shorten(plain(block.text), LIMITS.headerText);
        if (text) out.push({ type: "header", text: { type: "plain_text", text, emoji: true } });
        break;
      }
      case "markdown":
        for (const text of splitMrkdwn(mrkdwn(block.text), LIMITS.sectionText)) {
          out.push({ type: "section", text: { type: "mrkdwn", text } });
        }
        break;
      case "fields":
        for (let i = 0; i < block.fields.length; i += LIMITS.fields) {
          const fields = block.fields.slice(i, i + LIMITS.fields).map(
            (f): Mrkdwn => ({
              type: "mrkdwn",
              text: shortenMrkdwn(
                `*${escapeMrkdwn(plain(f.label))}*\n${mrkdwn(f.value) || "–"}`,
                LIMITS.fieldText,
              ),
            }),
          );
          if (fields.length > 0) out.push({ type: "section", fields });
        }
        break;
      case "table":
        for (const text of tableSections(block.columns, block.rows)) {
          out.push({ type: "section", text: { type: "mrkdwn", text } });
        }
        break;
      case "choices":
        out.push(
          ...(choices === "expanded"
            ? expandedChoices(block.choices, ids)
            : compactChoices(block.choices, ids)),
        );
        break;
      case "actions":
        out.push(...actionBlocks(block.buttons, ids));
        break;
      case "context": {
        const text = shortenMrkdwn(mrkdwn(block.text), LIMITS.contextText);
        if (text) out.push({ type: "context", elements: [{ type: "mrkdwn", text }] });
        break;
      }
      case "divider":
        if (out.length > 0 && out.at(-1)!.type !== "divider") out.push({ type: "divider" });
        break;
      case "image":
        // Block Kit images need a public URL: the notifier shares the picture as a file instead.
        break;
    }
  }
  return out;
}

/** One section per option: its description, and its button beside it. */
function expandedChoices(choices: Choice[], ids: ActionIds): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (const choice of choices) {
    const button = slackButton(choice, ids);
    const note = choice.note ? `\n_${escapeMrkdwn(plain(choice.note))}_` : "";
    const text =
      shortenMrkdwn(`${mrkdwn(choice.description)}${note}`, LIMITS.sectionText) ||
      escapeMrkdwn(plain(choice.label));
    out.push(
      button
        ? { type: "section", text: { type: "mrkdwn", text }, accessory: button }
        : { type: "section", text: { type: "mrkdwn", text } },
    );
  }
  return out;
}

/** When a message has no room for a section per option: the options as one text, the buttons in a row. */
function compactChoices(choices: Choice[], ids: ActionIds): SlackBlock[] {
  const text = choices
    .map(
      (c) =>
        `*${escapeMrkdwn(plain(c.label))}*${c.note ? ` _(${escapeMrkdwn(plain(c.note))})_` : ""}: ${mrkdwn(c.description).replace(/\n+/g, " ")}`,
    )
    .join("\n");
  const sections: SlackBlock[] = splitMrkdwn(text, LIMITS.sectionText).map((t) => ({
    type: "section",
    text: { type: "mrkdwn", text: t },
  }));
  return [...sections, ...actionBlocks(choices, ids)];
}

function actionBlocks(buttons: Button[], ids: ActionIds): SlackBlock[] {
  const elements = buttons.map((b) => slackButton(b, ids)).filter((b): b is SlackButton => b !== undefined);
  const out: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
    out.push({ type: "actions", elements: elements.slice(i, i + LIMITS.actionsElements) });
  }
  return out;
}

/** A button, or nothing when its value cannot fit (it would only fail when clicked). */
function slackButton(button: Button, ids: ActionIds): SlackButton | undefined {
  const value = JSON.stringify(button.value);
  if (value.length > LIMITS.buttonValue) return undefined;
  const text = shorten(plain(button.label), LIMITS.buttonText) || "Open";
  const out: SlackButton = {
    type: "button",
    text: { type: "plain_text", text, emoji: true },
    action_id: ids.take(button.id),
    value,
  };
  if (button.style) out.style = button.style;
  return out;
}

/** Unique action_ids within one message or view, as Slack requires: a repeated id gets a suffix. */
class ActionIds {
  private readonly used = new Set<string>();
  take(id: string): string {
    const base = (id || "button").slice(0, LIMITS.actionId);
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) {
      const suffix = `-${n}`;
      candidate = `${base.slice(0, LIMITS.actionId - suffix.length)}${suffix}`;
    }
    this.used.add(candidate);
    return candidate;
  }
}

/**
 * Keeps a block list within the budget: every actions block stays (buttons are how the user goes on),
 * text is kept in order until the budget is spent, and a context line says that the rest was cut.
 */
function keepWithin(blocks: SlackBlock[], max: number): SlackBlock[] {
  if (blocks.length <= max) return blocks;
  const actions = blocks.filter((b) => b.type === "actions").slice(0, max - 1);
  let room = max - actions.length - 1;
  let dropped = 0;
  const out: SlackBlock[] = [];
  for (const block of blocks) {
    if (block.type === "actions") {
      if (actions.includes(block)) out.push(block);
      continue;
    }
    if (room > 0) {
      out.push(block);
      room--;
    } else dropped++;
  }
  const notice: SlackBlock = {
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `Shortened to fit Slack: ${dropped} more part${dropped === 1 ? "" : "s"} not shown.`,
      },
    ],
  };
  const lastText = out.findLastIndex((b) => b.type !== "actions");
  out.splice(lastText + 1, 0, notice);
  return out;
}

/** Markdown to mrkdwn, then the engine's mention tokens to Slack mentions (after escaping, so no text can forge one). */
export function mrkdwn(markdown: string): string {
  return showMentions(toMrkdwn(markdown));
}

const SLACK_ID = /^[UW][A-Z0-9]{1,40}$/;

function showMentions(text: string): string {
  return text.replace(MENTION_TOKEN, (_, id: string) =>
    SLACK_ID.test(id) ? `<@${id}>` : `@${escapeMrkdwn(id)}`,
  );
}

/** One random marker per process (users never see it, so they cannot type it), its pattern compiled once. */
const MARKER = `mbm${randomBytes(6).toString("hex")}`;
const MARKED = new RegExp(`${MARKER}(\\d+)x`, "g");

/** Mentions in text that is escaped as a whole: hidden behind a random marker first, then shown. */
class Mentions {
  private readonly marker = MARKER;
  private readonly ids: string[] = [];
  hide(text: string): string {
    return text.replace(MENTION_TOKEN, (_, id: string) => `${this.marker}${this.ids.push(id) - 1}x`);
  }
  show(text: string): string {
    if (this.ids.length === 0) return text;
    return text.replace(MARKED, (_, i: string) => {
      const id = this.ids[Number(i)] ?? "";
      return SLACK_ID.test(id) ? `<@${id}>` : `@${escapeMrkdwn(id)}`;
    });
  }
}

/** Markdown reduced to plain text for plain_text fields (headers, buttons): no marks, mentions as @id. */
function plain(text: string): string {
  return text
    .replace(MENTION_TOKEN, (_, id: string) => `@${id}`)
    .replace(/[\uE000\uE001]/g, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\\([\\`*_~[\]()<>#|!])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** Cuts plain text to a length, with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Cuts mrkdwn to a length without breaking a <link>, an &entity; or a code block, with an ellipsis. */
export function shortenMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const fence = "\n```";
  let out = text.slice(0, safeCut(text, max - 1 - fence.length)).trimEnd();
  if (openFence(out)) out += fence;
  return `${out}…`;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters: at line breaks where possible, then at spaces,
 * never inside a <link> or &entity;; a code block cut in two is closed and reopened.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const budget = max - 8; // room to close and reopen a code block
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", budget);
    if (cut < budget / 2) {
      const space = rest.lastIndexOf(" ", budget);
      cut = space >= budget / 2 ? space : safeCut(rest, budget);
    }
    cut = safeCut(rest, cut);
    if (cut <= 0) cut = budget;
    let piece = rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^[ \n]+/, "");
    if (openFence(piece)) {
      piece += "\n```";
      rest = `\`\`\`\n${rest}`;
    }
    if (piece) pieces.push(piece);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** The largest index <= at that does not fall inside a <…> link or an &…; entity. */
function safeCut(text: string, at: number): number {
  let cut = Math.min(at, text.length);
  const lt = text.lastIndexOf("<", cut - 1);
  if (lt >= 0 && text.indexOf(">", lt) >= cut) cut = lt;
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp >= 0 && cut - amp <= 8) {
    const semi = text.indexOf(";", amp);
    if (semi >= cut && semi - amp <= 8) cut = amp;
  }
  // Never cut between the two halves of a surrogate pair.
  if (cut > 0 && cut < text.length && /[\uDC00-\uDFFF]/.test(text[cut]!)) cut--;
  return cut;
}

function openFence(text: string): boolean {
  return ((text.match(/```/g) ?? []).length & 1) === 1;
}

/** A table as aligned monospace text, split by rows into sections when long. */
function tableSections(columns: string[], rows: string[][]): string[] {
  const cell = (text: string) => shorten(plain(text), 40);
  const all = [columns.map(cell), ...rows.map((r) => columns.map((_, i) => cell(r[i] ?? "")))];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const header = escapeMrkdwn(line(all[0]!));
  const lines = all.slice(1).map((r) => escapeMrkdwn(line(r)));
  const sections: string[] = [];
  let current: string[] = [];
  const wrap = (body: string[]) => `\`\`\`\n${[header, ...body].join("\n")}\n\`\`\``;
  for (const l of lines) {
    if (current.length > 0 && wrap([...current, l]).length > LIMITS.sectionText) {
      sections.push(wrap(current));
      current = [];
    }
    current.push(l);
  }
  if (current.length > 0 || sections.length === 0) sections.push(wrap(current));
  return sections.map((s) => shortenMrkdwn(s, LIMITS.sectionText));
}
