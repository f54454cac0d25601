import { marked, type Token, type Tokens } from "marked";

export interface RawSection {
  heading: string;
  depth: number;
  line: number;
  markdown: string;
  text: string;
  /** Own content and sub-sections, for depth-2 sections. */
  fullMarkdown: string;
  hasChildren: boolean;
}

export interface RawLink {
  href: string;
  line: number;
}

export interface ParsedBody {
  intro: string;
  sections: RawSection[];
  links: RawLink[];
}

/** Splits a page body into heading sections with source lines, plain text and the links it holds. */
export function parseBody(body: string, firstLine: number): ParsedBody {
  const tokens = marked.lexer(body, { gfm: true });
  const links: RawLink[] = [];
  const sections: RawSection[] = [];
  let intro = "";
  let line = firstLine;
  let current: { heading: string; depth: number; line: number; raws: string[]; texts: string[] } | undefined;

  const close = () => {
    if (!current) return;
    const markdown = current.raws.join("").trim();
    sections.push({
      heading: current.heading,
      depth: current.depth,
      line: current.line,
      markdown,
      text: current.texts.filter(Boolean).join("\n").trim(),
      fullMarkdown: markdown,
      hasChildren: false,
    });
  };

  for (const token of tokens) {
    linksOf(token, line, links);
    if (token.type === "heading") {
      const heading = token as Tokens.Heading;
      if (heading.depth >= 2) {
        close();
        current = {
          heading: plainInline(heading.tokens).trim(),
          depth: heading.depth,
          line,
          raws: [],
          texts: [],
        };
      }
      // A level-1 heading is the page title; the front matter already names it.
    } else if (current) {
      current.raws.push(token.raw);
      current.texts.push(plain(token));
    } else {
      // Blank lines included: marked 18 leaves them out of a paragraph's raw text, so two paragraphs of
      // an intro would run together ("one.Two.") and a figure could merge with the next one.
      intro += token.raw;
    }
    line += countNewlines(token.raw);
  }
  close();

  // Depth-2 sections quote their sub-sections too when answered as a whole.
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!;
    const parts = [section.markdown];
    for (let j = i + 1; j < sections.length && sections[j]!.depth > section.depth; j++) {
      const child = sections[j]!;
      section.hasChildren = true;
      parts.push(`${"#".repeat(child.depth)} ${child.heading}\n\n${child.markdown}`);
    }
    section.fullMarkdown = parts.filter(Boolean).join("\n\n").trim();
  }
  return { intro: intro.trim(), sections, links };
}

/** Plain text of any block token: what a search index and a chat preview need. */
export function plain(token: Token): string {
  switch (token.type) {
    case "space":
    case "hr":
    case "html":
      return "";
    case "code":
      return (token as Tokens.Code).text;
    case "table": {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => plainInline(c.tokens)).join(" | ");
      return [row(table.header), ...table.rows.map(row)].join("\n");
    }
    case "list":
      return (token as Tokens.List).items.map((item) => `- ${plainBlocks(item.tokens)}`).join("\n");
    case "heading":
    case "paragraph":
    case "blockquote":
    case "text": {
      const withTokens = token as Tokens.Paragraph;
      if (withTokens.tokens && withTokens.tokens.length > 0) {
        return token.type === "blockquote" ? plainBlocks(withTokens.tokens) : plainInline(withTokens.tokens);
      }
      return withTokens.text ?? "";
    }
    default:
      return "text" in token && typeof token.text === "string" ? token.text : "";
  }
}

function plainBlocks(tokens: Token[]): string {
  return tokens
    .map(plain)
    .filter((t) => t.length > 0)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

export function plainInline(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  let out = "";
  for (const token of tokens) {
    if (token.type === "checkbox") continue;
    if (token.type === "br") {
      out += " ";
      continue;
    }
    const inner = (token as Tokens.Strong).tokens;
    if (inner && inner.length > 0) out += plainInline(inner);
    else if (token.type === "list" || token.type === "paragraph") out += plain(token);
    else if ("text" in token && typeof token.text === "string") out += decodeEntities(token.text);
  }
  return out;
}

/** Links inside a block token, each with the line it sits on (a list or paragraph spans many lines). */
function linksOf(block: Token, firstLine: number, out: RawLink[]): void {
  const found: Tokens.Link[] = [];
  collectLinks(block, found);
  let cursor = 0;
  for (const link of found) {
    const at = block.raw.indexOf(link.raw, cursor);
    const offset = at >= 0 ? at : cursor;
    out.push({ href: link.href, line: firstLine + countNewlines(block.raw.slice(0, offset)) });
    if (at >= 0) cursor = at + link.raw.length;
  }
}

function collectLinks(token: Token, out: Tokens.Link[]): void {
  if (token.type === "link") out.push(token as Tokens.Link);
  const nested: Token[] = [];
  const t = token as {
    tokens?: Token[];
    items?: Tokens.ListItem[];
    header?: Tokens.TableCell[];
    rows?: Tokens.TableCell[][];
  };
  if (t.tokens) nested.push(...t.tokens);
  if (t.items) for (const item of t.items) nested.push(...item.tokens);
  if (t.header) for (const cell of t.header) nested.push(...cell.tokens);
  if (t.rows) for (const row of t.rows) for (const cell of row) nested.push(...cell.tokens);
  for (const child of nested) collectLinks(child, out);
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The anchor GitHub and our links use for a heading. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}
