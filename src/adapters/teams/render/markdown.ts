import { createMarkdownWalker, type Dialect } from "../../render/markdown-walker.js";

/**
 * Markdown (GFM) to the subset Teams renders in messages and Adaptive Card TextBlocks:
 * **bold**, _italic_, [links](url), "- " and "1. " lists.
 *
 * Conventions:
 * - Headings -> **Heading**; tables -> "cell | cell" lines with a bold header row.
 * - Task items stay list items: "- ☐ item" / "- ☑ item"; nested lists are indented to their parent's text.
 * - Links keep [text](url) for http(s) and mailto only; any other link (relative, javascript:, …) keeps its text.
 * - Code blocks -> plain lines indented with no-break spaces: TextBlocks have no code blocks, and a no-break
 *   space, unlike four plain spaces, neither starts a markdown code block nor is stripped.
 * - Inline code keeps its backticks (a code span in messages, literal backticks in a TextBlock).
 * - Text goes through {@link escapeTeams}; Teams clients decode &amp; &lt; &gt; back for display.
 * - Block separation follows the source: a blank line stays a blank line, a single newline stays single.
 */
export function toTeamsMarkdown(markdown: string): string {
  // Not trim(): it would also strip the no-break spaces that indent a leading code block.
  return walk(markdown).replace(/^[ \t\n]+|[ \t\n]+$/g, "");
}

/**
 * Escapes text (user input above all) for Teams markdown: &, < and > become entities, so <at>…</at>
 * mention markup and HTML tags show as typed; \ ` * _ ~ [ ] get a backslash, so the text can neither
 * open a [link](url) or ![image](url) nor change formatting.
 */
export function escapeTeams(text: string): string {
  return escapeHtml(text).replace(/[\\`*_~[\]]/g, "\\$&");
}

const NBSP = "\u00A0";

const TEAMS: Dialect = {
  marks: { bold: "**", italic: "_", strike: "~~" },
  escape: escapeTeams,
  codeBlock: (text) =>
    text
      .split("\n")
      .map(
        (line) => NBSP.repeat(4) + escapeTeams(line).replace(/^ +/, (spaces) => NBSP.repeat(spaces.length)),
      )
      .join("\n"),
  // A TextBlock shows the backticks literally and would still render [label](url) inside them as a link.
  codeSpan: (text) => `\`${escapeHtml(text).replace(/[[\]]/g, "\\$&")}\``,
  // Link labels stay plain text: formatting inside [...] is not reliable across Teams clients.
  link: (href, label) => `[${label || escapeTeams(href)}](${url(href)})`,
  listItem: ({ ordered, number, task, checked }) => {
    const marker = ordered ? `${number}.` : "-";
    const box = task ? (checked ? "☑ " : "☐ ") : "";
    return { prefix: `${marker} ${box}`, indent: " ".repeat(marker.length + 1) };
  },
};

const walk = createMarkdownWalker(TEAMS);

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The link target inside (url): characters that would end it or start markup are percent-encoded. */
function url(href: string): string {
  return href.replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
