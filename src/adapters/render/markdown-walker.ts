import { type MarkedToken, marked, type Token, type Tokens } from "marked";
import { HIDDEN_CHARACTERS } from "../../core/reply.js";

/**
 * What a chat platform's markdown dialect writes differently; everything else (which tokens become what,
 * block separation, safe links, raw HTML, character references) is shared by {@link createMarkdownWalker}.
 */
export interface Dialect {
  /** Wrapped around bold, italic and struck-through text; headings and table header cells use `bold`. */
  readonly marks: { readonly bold: string; readonly italic: string; readonly strike: string };
  /** Escapes a piece of text (user input above all) so it shows as typed. */
  escape(text: string): string;
  /** A fenced or indented code block, from its raw (unescaped) text. */
  codeBlock(text: string): string;
  /** A code span, from its raw (unescaped) text. */
  codeSpan(text: string): string;
  /**
   * A link or image whose `href` (raw) is http(s) or mailto. `label` is the rendered, unformatted label
   * ("" when there is none); `bare` is true when a link's text is its URL (autolinks above all).
   */
  link(href: string, label: string, bare: boolean): string;
  /** What starts a list item, and the indent for its following lines (nested lists included). */
  listItem(item: ListItem): { readonly prefix: string; readonly indent: string };
}

export interface ListItem {
  readonly ordered: boolean;
  /** The item's number when the list is ordered (the list's start plus its position). */
  readonly number: number;
  readonly task: boolean;
  readonly checked: boolean;
}

interface Style {
  bold: boolean;
  italic: boolean;
  strike: boolean;
}

const PLAIN: Style = { bold: false, italic: false, strike: false };
/** Link labels carry no formatting. */
const LABEL: Style = { bold: true, italic: true, strike: true };
const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;

/**
 * Returns a renderer from markdown (GFM) to the dialect, walking marked's tokens so code spans and URLs are
 * never re-parsed. Block separation follows the source: a blank line stays a blank line, a single newline
 * stays single. The result is not trimmed: what counts as leading white space is the dialect's call.
 */
export function createMarkdownWalker(dialect: Dialect): (markdown: string) => string {
  const { marks } = dialect;

  function blocks(tokens: Token[]): string {
    let out = "";
    let blank = false;
    for (const token of tokens) {
      if (token.type === "space") {
        blank = true;
        continue;
      }
      const text = block(token);
      if (!text) continue;
      if (out) out += blank ? "\n\n" : "\n";
      out += text;
      blank = false;
    }
    return out;
  }

  function block(token: Token): string {
    const t = token as MarkedToken;
    switch (t.type) {
      case "heading":
        return boldLine(t.tokens);
      case "paragraph":
        return inline(t.tokens);
      case "text":
        return t.tokens ? inline(t.tokens) : text(t.text);
      case "code":
        return dialect.codeBlock(t.text);
      case "blockquote":
        return blocks(t.tokens)
          .split("\n")
          .map((line) => (line ? `> ${line}` : ">"))
          .join("\n");
      case "list":
        return list(t);
      case "table":
        return table(t);
      case "hr":
        return "———";
      case "html":
        return html(t.text).trim();
      case "space":
      case "def":
      case "checkbox":
        return "";
      default:
        return span(token, PLAIN);
    }
  }

  function list(t: Tokens.List): string {
    const start = typeof t.start === "number" ? t.start : 1;
    return t.items
      .map((item, i) => {
        const { prefix, indent } = dialect.listItem({
          ordered: t.ordered,
          number: start + i,
          task: item.task,
          checked: item.checked === true,
        });
        return `${prefix}${blocks(item.tokens).replace(/\n(?=.)/g, `\n${indent}`)}`.trimEnd();
      })
      .join("\n");
  }

  function table(t: Tokens.Table): string {
    const header = t.header.map((cell) => boldLine(cell.tokens));
    const rows = t.rows.map((row) => row.map((cell) => inline(cell.tokens)));
    return [header, ...rows]
      .filter((row) => row.some(Boolean))
      .map((row) => row.join(" | "))
      .join("\n");
  }

  /** A heading or table header cell: bold as a whole, without doubling bold inside. */
  function boldLine(tokens: Token[]): string {
    const text = inline(tokens, { ...PLAIN, bold: true });
    return text ? `${marks.bold}${text}${marks.bold}` : "";
  }

  function inline(tokens: Token[] | undefined, style: Style = PLAIN): string {
    return (tokens ?? []).map((token) => span(token, style)).join("");
  }

  function span(token: Token, style: Style): string {
    const t = token as MarkedToken;
    switch (t.type) {
      case "text":
        return t.tokens ? inline(t.tokens, style) : text(t.text);
      case "escape":
        return dialect.escape(t.text);
      case "strong":
        return wrap(marks.bold, inline(t.tokens, { ...style, bold: true }), style.bold);
      case "em":
        return wrap(marks.italic, inline(t.tokens, { ...style, italic: true }), style.italic);
      case "del":
        return wrap(marks.strike, inline(t.tokens, { ...style, strike: true }), style.strike);
      case "codespan":
        return dialect.codeSpan(t.text);
      case "br":
        return "\n";
      case "link":
        if (!SAFE_URL.test(t.href)) return inline(t.tokens, style);
        return dialect.link(t.href, inline(t.tokens, LABEL), t.text === t.href);
      case "image":
        if (!SAFE_URL.test(t.href)) return text(t.text);
        return dialect.link(t.href, text(t.text), false);
      case "html":
        return html(t.text);
      case "checkbox":
      case "space":
      case "def":
        return "";
      default:
        return "tokens" in t && Array.isArray(t.tokens) ? inline(t.tokens, style) : dialect.escape(t.raw);
    }
  }

  /** Raw HTML in the knowledge base: comments vanish, <br> breaks the line, anything else shows as typed. */
  function html(raw: string): string {
    if (raw.trimStart().startsWith("<!--")) return "";
    if (/^<br\s*\/?>$/i.test(raw.trim())) return "\n";
    return dialect.escape(raw);
  }

  function text(raw: string): string {
    return dialect.escape(decodeEntities(raw));
  }

  // Bidi overrides and zero-width marks would make text read differently from what it says: dropped.
  return (markdown) => blocks(marked.lexer(markdown.replace(HIDDEN_CHARACTERS, ""), { gfm: true }));
}

function wrap(marker: string, content: string, already: boolean): string {
  return already || !content.trim() ? content : `${marker}${content}${marker}`;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00A0" };

/** marked leaves character references in text as written; decode the common ones before re-escaping. */
function decodeEntities(raw: string): string {
  return raw.replace(
    /&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]+));/gi,
    (match, dec?: string, hex?: string, name?: string) => {
      if (name) return ENTITIES[name] ?? match;
      const code = dec ? Number(dec) : Number.parseInt(hex ?? "", 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    },
  );
}
