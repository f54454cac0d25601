import { createMarkdownWalker, type Dialect } from "../../render/markdown-walker.js";

/**
 * Markdown (GFM) to Slack mrkdwn, walking marked's tokens so code spans and URLs are never re-parsed.
 *
 * Conventions:
 * - **bold** -> *bold*, *italic* / _italic_ -> _italic_, ~~strike~~ -> ~strike~.
 * - Headings -> *Heading* on their own line; tables -> "cell | cell" lines with a bold header row.
 * - Lists -> "• item", ordered keep their numbers, task items "☐ item" / "☑ item"; nested content is
 *   indented by four spaces per level.
 * - Links -> <url|text> for http(s) and mailto only; any other link (relative, javascript:, …) keeps its text.
 * - Block separation follows the source: a blank line stays a blank line, a single newline stays single.
 * - Every piece of text, code included, goes through {@link escapeMrkdwn}.
 */
export function toMrkdwn(markdown: string): string {
  // Most texts repeat (question descriptions, help, roadmap pages): convert each once, in a bounded cache.
  const known = converted.get(markdown);
  if (known !== undefined) return known;
  const out = walk(markdown).trim();
  if (markdown.length <= CACHEABLE_LENGTH) {
    if (converted.size >= CACHE_ENTRIES) converted.delete(converted.keys().next().value!);
    converted.set(markdown, out);
  }
  return out;
}

const CACHE_ENTRIES = 2000;
const CACHEABLE_LENGTH = 8000;
const converted = new Map<string, string>();

/**
 * Inserted between "@" and channel/here/everyone. The zero-width joiner is invisible, so the user still
 * reads "@here", but the word no longer matches Slack's broadcast syntax, even with link_names on.
 */
export const BROADCAST_BREAK = "\u200D";

/**
 * Escapes text (user input above all) for mrkdwn: &, < and > become entities, so <!channel>, <!here>,
 * <@U123> and <#C123> show as typed instead of pinging anyone, and a bare @channel, @here or @everyone
 * gets a zero-width joiner after the "@" ({@link BROADCAST_BREAK}).
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)/gi, `@${BROADCAST_BREAK}$1`);
}

const INDENT = "    ";

const MRKDWN: Dialect = {
  marks: { bold: "*", italic: "_", strike: "~" },
  escape: escapeMrkdwn,
  codeBlock: (text) => `\`\`\`\n${escapeMrkdwn(text)}\n\`\`\``,
  codeSpan: (text) => `\`${escapeMrkdwn(text)}\``,
  // Link labels carry no formatting in Slack; a link whose text is its URL shows as the bare <url>.
  link: (href, label, bare) => (label && !bare ? `<${url(href)}|${label}>` : `<${url(href)}>`),
  listItem: ({ ordered, number, task, checked }) => {
    const marker = task ? (checked ? "☑" : "☐") : ordered ? `${number}.` : "•";
    return { prefix: `${marker} `, indent: INDENT };
  },
};

const walk = createMarkdownWalker(MRKDWN);

/** The link target inside <url|text>: & as an entity; <, > and | (which would end the link) percent-encoded. */
function url(href: string): string {
  return href
    .replace(/&/g, "&amp;")
    .replace(/</g, "%3C")
    .replace(/>/g, "%3E")
    .replace(/\|/g, "%7C")
    .replace(/ /g, "%20");
}
