import { Marked } from "marked";
import { type Block, HIDDEN_CHARACTERS, MENTION_TOKEN, type Reply } from "../../core/reply.js";
import { userName } from "./demo.js";

/** Markdown to safe HTML for the playground: raw HTML is escaped, only http(s) and mailto links stay links. */
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return /^(?:https?:|mailto:)/i.test(href)
        ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`
        : label;
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

export function markdownToHtml(markdown: string): string {
  const withNames = markdown
    .replace(HIDDEN_CHARACTERS, "")
    .replace(MENTION_TOKEN, (_, id: string) => `**@${userName(id)}**`);
  return (marked.parse(withNames, { async: false }) as string).trim();
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export type RenderedBlock =
  | (Exclude<Block, { type: "image" }> & { html?: string })
  | { type: "image"; src: string; alt: string; title: string };

export interface RenderedReply extends Omit<Reply, "blocks" | "to"> {
  /** Which pane shows it: "dm:<user>" or "channel:<id>". */
  pane: string;
  blocks: RenderedBlock[];
}

/** Adds HTML to the blocks that carry markdown; the page shows buttons and tables from the model itself. */
export function renderReply(reply: Reply, pane: string): RenderedReply {
  const blocks = reply.blocks.map((block): RenderedBlock => {
    switch (block.type) {
      case "markdown":
      case "context":
        return { ...block, html: markdownToHtml(block.text) };
      case "heading":
        return { ...block, html: escapeHtml(block.text) };
      case "choices":
        return {
          ...block,
          choices: block.choices.map((c) => ({ ...c, description: markdownToHtml(c.description) })),
        };
      case "fields":
        return {
          ...block,
          fields: block.fields.map((f) => ({ label: escapeHtml(f.label), value: markdownToHtml(f.value) })),
        };
      case "table":
        return {
          ...block,
          columns: block.columns.map(escapeHtml),
          rows: block.rows.map((row) => row.map(escapeHtml)),
        };
      case "actions":
        return { ...block, buttons: block.buttons.map((b) => ({ ...b, label: escapeHtml(b.label) })) };
      case "image":
        return {
          type: "image",
          src: `data:${block.mime};base64,${Buffer.from(block.data).toString("base64")}`,
          alt: block.alt,
          title: block.title,
        };
      default:
        return block;
    }
  });
  const { to: _to, blocks: _blocks, ...rest } = reply;
  return {
    ...rest,
    text: reply.text.replace(MENTION_TOKEN, (_, id: string) => `@${userName(id)}`),
    pane,
    blocks,
  };
}
