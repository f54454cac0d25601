import { expect, it } from "vitest";
import { quoted } from "../../../../src/core/reply.js";

/**
 * The rendering cases both chat renderers are held to, side by side: one markdown input, what Slack mrkdwn
 * and what Teams markdown must make of it. A case without a platform's column is not checked there.
 */
export type Platform = "slack" | "teams";

interface RenderCase {
  readonly markdown: string;
  readonly slack?: string;
  readonly teams?: string;
}

interface RenderTopic {
  /** The test's title: the same on both platforms, or one for each platform it is checked on. */
  readonly title: string | Partial<Record<Platform, string>>;
  readonly cases: readonly RenderCase[];
}

const NBSP = "\u00A0";
const ZWJ = "\u200D";
const TABLE = "| Level | Deploys |\n|---|:---:|\n| 2 | **weekly** |\n| 3 | [daily](https://example.com/d) |";
const lines = (...parts: string[]) => parts.join("\n");

export const RENDER_TOPICS: readonly RenderTopic[] = [
  {
    title:
      "shows user text quoted back by the bot as typed: no phishing link, image, ping, format or reordering",
    cases: [
      {
        markdown: quoted("[Re-authenticate your Slack here](https://evil.example/login)"),
        slack: "`[Re-authenticate your Slack here](https://evil.example/login)`",
        teams: "`\\[Re-authenticate your Slack here\\](https://evil.example/login)`",
      },
      {
        markdown: quoted("![x](https://evil.example/p.png)"),
        slack: "`![x](https://evil.example/p.png)`",
        teams: "`!\\[x\\](https://evil.example/p.png)`",
      },
      {
        markdown: quoted("<https://evil.example|Log in> <!channel> <!here> @everyone"),
        slack: `\`&lt;https://evil.example|Log in&gt; &lt;!channel&gt; &lt;!here&gt; @${ZWJ}everyone\``,
        teams: "`&lt;https://evil.example|Log in&gt; &lt;!channel&gt; &lt;!here&gt; @everyone`",
      },
      {
        markdown: quoted("**bold** _it_ `code` invoice\u202Efdp.exe"),
        slack: "`**bold** _it_ 'code' invoicefdp.exe`",
        teams: "`**bold** _it_ 'code' invoicefdp.exe`",
      },
      { markdown: "plain\u202Etext\u2066", slack: "plaintext", teams: "plaintext" },
    ],
  },
  {
    title: {
      slack: "turns bold, italics and strikethrough into Slack markers",
      teams: "keeps bold and italics in the Teams subset",
    },
    cases: [
      {
        markdown: "**bold**, *italic*, _also italic_ and ~~gone~~",
        slack: "*bold*, _italic_, _also italic_ and ~gone~",
        teams: "**bold**, _italic_, _also italic_ and ~~gone~~",
      },
      { markdown: "**bold with _italic_ inside**", slack: "*bold with _italic_ inside*" },
      { markdown: "**bold with *italic* inside**", teams: "**bold with _italic_ inside**" },
    ],
  },
  {
    title: {
      slack: "turns headings into a bold line of their own, without doubling bold inside",
      teams: "turns headings into bold lines, without doubling bold inside",
    },
    cases: [
      {
        markdown: "# Level 3\nModels run in production.",
        slack: "*Level 3*\nModels run in production.",
        teams: "**Level 3**\nModels run in production.",
      },
      {
        markdown: "## The **next** step\n\nText.",
        slack: "*The next step*\n\nText.",
        teams: "**The next step**\n\nText.",
      },
      { markdown: "###### Deep", slack: "*Deep*", teams: "**Deep**" },
    ],
  },
  {
    title: {
      slack: "turns http, https and mailto links into <url|text>",
      teams: "keeps http, https and mailto links",
    },
    cases: [
      {
        markdown: "See [the guide](https://example.com/guide).",
        slack: "See <https://example.com/guide|the guide>.",
        teams: "See [the guide](https://example.com/guide).",
      },
      { markdown: "[plain](http://example.com)", slack: "<http://example.com|plain>" },
      {
        markdown: "[Mail us](mailto:mlops@example.com)",
        slack: "<mailto:mlops@example.com|Mail us>",
        teams: "[Mail us](mailto:mlops@example.com)",
      },
      {
        markdown: "Visit https://example.com today",
        slack: "Visit <https://example.com> today",
        teams: "Visit [https://example.com](https://example.com) today",
      },
      { markdown: "[wiki](https://example.com/a_(b))", teams: "[wiki](https://example.com/a_%28b%29)" },
      { markdown: "[**bold** label](https://example.com)", teams: "[bold label](https://example.com)" },
    ],
  },
  {
    title: { slack: "escapes & in link targets and encodes characters that would end the link" },
    cases: [
      { markdown: "[q](https://example.com/?a=1&b=2)", slack: "<https://example.com/?a=1&amp;b=2|q>" },
      { markdown: "[pipe](https://example.com/a|b)", slack: "<https://example.com/a%7Cb|pipe>" },
      { markdown: "[R&D <team>](https://example.com)", slack: "<https://example.com|R&amp;D &lt;team&gt;>" },
    ],
  },
  {
    title: "keeps only the text of relative links and links with unsafe schemes",
    cases: [
      {
        markdown: "Both are [disruption risks](evolution.md).",
        slack: "Both are disruption risks.",
        teams: "Both are disruption risks.",
      },
      {
        markdown: "Read [the levels](../tech-ops/levels.md#level-2)",
        slack: "Read the levels",
        teams: "Read the levels",
      },
      { markdown: "[click me](javascript:alert(1))", slack: "click me", teams: "click me" },
      { markdown: "[click me](JavaScript:alert(1))", slack: "click me", teams: "click me" },
      { markdown: "[data](data:text/html,hi) and [ftp](ftp://example.com/x)", slack: "data and ftp" },
      { markdown: "[data](data:text/html,hi)", teams: "data" },
      { markdown: "![diagram](img/map.png)", slack: "diagram", teams: "diagram" },
    ],
  },
  {
    title: {
      slack: "turns bullet, nested, ordered and task lists into readable lines",
      teams: "keeps bullet and numbered lists, nests them under their parent's text and boxes task items",
    },
    cases: [
      { markdown: "- one\n- two\n* three", slack: "• one\n• two\n• three" },
      { markdown: "- one\n* two", teams: "- one\n- two" },
      {
        markdown: "- data\n  - features\n    - labels\n- models",
        slack: "• data\n    • features\n        • labels\n• models",
        teams: "- data\n  - features\n    - labels\n- models",
      },
      { markdown: "1. plan\n2. build\n3. run", slack: "1. plan\n2. build\n3. run" },
      { markdown: "1. plan\n2. build\n   - with tests", teams: "1. plan\n2. build\n   - with tests" },
      { markdown: "3. third\n4. fourth", slack: "3. third\n4. fourth", teams: "3. third\n4. fourth" },
      { markdown: "- step\n  1. first\n  2. second", slack: "• step\n    1. first\n    2. second" },
      {
        markdown: "- [ ] Extend CI/CD\n- [x] Use Git",
        slack: "☐ Extend CI/CD\n☑ Use Git",
        teams: "- ☐ Extend CI/CD\n- ☑ Use Git",
      },
    ],
  },
  {
    title: {
      slack: "keeps inline code and fenced code as they are, escaping only &, < and >",
      teams: "keeps inline code in backticks and turns code blocks into indented plain lines",
    },
    cases: [
      {
        markdown: "Run `kb:check **now**` then `a < b && c`",
        slack: "Run `kb:check **now**` then `a &lt; b &amp;&amp; c`",
      },
      {
        markdown: "```ts\nconst ok = a < b && [x](y);\n  **not bold**\n```",
        slack: "```\nconst ok = a &lt; b &amp;&amp; [x](y);\n  **not bold**\n```",
      },
      { markdown: "Run `npm run kb:check` then `a < b`", teams: "Run `npm run kb:check` then `a &lt; b`" },
      {
        markdown: "```ts\nif (a < b) {\n  run(*x*);\n}\n```",
        teams: lines(
          `${NBSP.repeat(4)}if (a &lt; b) {`,
          `${NBSP.repeat(6)}run(\\*x\\*);`,
          `${NBSP.repeat(4)}}`,
        ),
      },
    ],
  },
  {
    title: "turns tables into cell | cell lines with a bold header row",
    cases: [
      {
        markdown: TABLE,
        slack: "*Level* | *Deploys*\n2 | *weekly*\n3 | <https://example.com/d|daily>",
        teams: "**Level** | **Deploys**\n2 | **weekly**\n3 | [daily](https://example.com/d)",
      },
    ],
  },
  {
    title: "turns block quotes into > lines",
    cases: [
      {
        markdown: "> Tools are the **quick win**.\n> Culture is slow.",
        slack: "> Tools are the *quick win*.\n> Culture is slow.",
        teams: "> Tools are the **quick win**.\n> Culture is slow.",
      },
      { markdown: "> first\n>\n> second", slack: "> first\n>\n> second" },
    ],
  },
  {
    title: {
      slack: "escapes &, < and > in text, and shows character references as the characters they stand for",
      teams: "escapes text so it cannot become HTML, mentions or markup",
    },
    cases: [
      {
        markdown: "R&D with an incident rate of <5% > target",
        slack: "R&amp;D with an incident rate of &lt;5% &gt; target",
      },
      { markdown: "R&D with an incident rate of <5%", teams: "R&amp;D with an incident rate of &lt;5%" },
      { markdown: "Ask <at>Everyone</at>", teams: "Ask &lt;at&gt;Everyone&lt;/at&gt;" },
      { markdown: "Fish &amp; chips, &lt;b&gt; and &#169;", slack: "Fish &amp; chips, &lt;b&gt; and ©" },
      { markdown: "a \\*literal\\* star", slack: "a *literal* star" },
      { markdown: "snake_case and a \\*literal\\* star", teams: "snake\\_case and a \\*literal\\* star" },
      { markdown: "Fish &amp; chips and &#169;", teams: "Fish &amp; chips and ©" },
    ],
  },
  {
    title: { slack: "never lets knowledge text mention or broadcast" },
    cases: [
      {
        markdown: "Ping <!channel> or <@U123ABC> in <#C123>",
        slack: "Ping &lt;!channel&gt; or &lt;@U123ABC&gt; in &lt;#C123&gt;",
      },
      { markdown: "Tell @here and `@channel`", slack: `Tell @${ZWJ}here and \`@${ZWJ}channel\`` },
    ],
  },
  {
    title: "drops HTML comments and shows other raw HTML as typed",
    cases: [
      {
        markdown: "<!-- editor note -->\n\nText <b>bold?</b>",
        slack: "Text &lt;b&gt;bold?&lt;/b&gt;",
        teams: "Text &lt;b&gt;bold?&lt;/b&gt;",
      },
    ],
  },
  {
    title: "keeps the source's blank lines between blocks and returns an empty string for nothing",
    cases: [
      {
        markdown: "First.\n\nSecond.\n\n---\n\nThird.",
        slack: "First.\n\nSecond.\n\n———\n\nThird.",
        teams: "First.\n\nSecond.\n\n———\n\nThird.",
      },
      { markdown: "", slack: "", teams: "" },
      { markdown: "  \n\n ", slack: "" },
    ],
  },
  {
    title:
      "renders the rarer markdown of knowledge pages: raw HTML, line breaks, nested emphasis, empty cells",
    cases: [
      // A raw HTML block shows as typed, without the newline marked keeps at its end.
      {
        markdown: "para\n\n<div>block</div>\n\nnext",
        slack: "para\n\n&lt;div&gt;block&lt;/div&gt;\n\nnext",
        teams: "para\n\n&lt;div&gt;block&lt;/div&gt;\n\nnext",
      },
      // <br> alone breaks the line; a block that only starts with one is shown as typed.
      { markdown: "a<br/>b", slack: "a\nb", teams: "a\nb" },
      {
        markdown: "<div><br>\n\nnext",
        slack: "&lt;div&gt;&lt;br&gt;\n\nnext",
        teams: "&lt;div&gt;&lt;br&gt;\n\nnext",
      },
      { markdown: "<br><br>a<br><br>", slack: "a", teams: "a" },
      // Comments vanish, indented or inline.
      { markdown: "   <!-- note -->\ntext", slack: "text", teams: "text" },
      { markdown: "x <!-- c --> y", slack: "x  y", teams: "x  y" },
      // Two trailing spaces are a hard line break.
      { markdown: "line one  \nline two", slack: "line one\nline two", teams: "line one\nline two" },
      // Emphasis inside the same emphasis is not doubled.
      { markdown: "*outer _inner_ outer*", slack: "_outer inner outer_", teams: "_outer inner outer_" },
      { markdown: "~~gone ~~twice~~ gone~~", slack: "~gone twice gone~", teams: "~~gone twice gone~~" },
      { markdown: "**bold *it* bold**", slack: "*bold _it_ bold*", teams: "**bold _it_ bold**" },
      // An empty heading and an all-empty table row leave nothing behind.
      { markdown: "#\n\ntext", slack: "text", teams: "text" },
      {
        markdown: "| A | B |\n|---|---|\n| x |  |\n|  |  |",
        slack: "*A* | *B*\nx |",
        teams: "**A** | **B**\nx |",
      },
      // An image's alt text with character references: the valid ones decoded, the others as typed.
      {
        markdown: "![&#65;&#x42; &amp; &#0; &#x110000;](https://e.com/p.png)",
        slack: "<https://e.com/p.png|AB &amp; &amp;#0; &amp;#x110000;>",
        teams: "[AB &amp; &amp;#0; &amp;#x110000;](https://e.com/p.png)",
      },
      // Characters that would end the link are percent-encoded in its target.
      {
        markdown: "Visit [the <b> page](https://e.com/a?x=<1>) now",
        slack: "Visit <https://e.com/a?x=%3C1%3E|the &lt;b&gt; page> now",
        teams: "Visit [the &lt;b&gt; page](https://e.com/a?x=%3C1%3E) now",
      },
      // A loose list item keeps its blank line and its indent, without trailing spaces.
      {
        markdown: "* a\n\n  b  \n* c",
        slack: "• a\n\n    b\n• c",
        teams: "- a\n\n  b\n- c",
      },
    ],
  },
  {
    title: "renders a realistic knowledge answer",
    cases: [
      {
        markdown: lines(
          "**Level 2 → 3** takes **3-6 months**: standardise ML delivery.",
          "Move from manual hand-offs to pipelines & shared tooling.",
          "",
          "**Checklist**",
          "- [ ] Extend CI/CD so that it covers data → training → deployment",
          "- [ ] Add automated tests: unit, integration and model validation",
          "- Put approval gates in front of production, see [gates](roadmap-2-3.md)",
          "",
          "_Source: Technology & Operations guide_",
        ),
        slack: lines(
          "*Level 2 → 3* takes *3-6 months*: standardise ML delivery.",
          "Move from manual hand-offs to pipelines &amp; shared tooling.",
          "",
          "*Checklist*",
          "☐ Extend CI/CD so that it covers data → training → deployment",
          "☐ Add automated tests: unit, integration and model validation",
          "• Put approval gates in front of production, see gates",
          "",
          "_Source: Technology &amp; Operations guide_",
        ),
      },
      {
        markdown: lines(
          "**Level 2 → 3** takes **3-6 months**: standardise ML delivery.",
          "Move from manual hand-offs to pipelines and shared tooling.",
          "",
          "## Checklist",
          "- [ ] Extend CI/CD so that it covers data → training → deployment",
          "- [ ] Add automated tests: unit, integration and model validation",
          "- Put approval gates in front of production, see [gates](roadmap-2-3.md)",
          "",
          "_Source: Technology & Operations guide_",
        ),
        teams: lines(
          "**Level 2 → 3** takes **3-6 months**: standardise ML delivery.",
          "Move from manual hand-offs to pipelines and shared tooling.",
          "",
          "**Checklist**",
          "- ☐ Extend CI/CD so that it covers data → training → deployment",
          "- ☐ Add automated tests: unit, integration and model validation",
          "- Put approval gates in front of production, see gates",
          "",
          // Teams clients decode &amp; back to "&" for display.
          "_Source: Technology &amp; Operations guide_",
        ),
      },
    ],
  },
];

/**
 * Declares one test per topic that has cases for the platform, each checking every such case against
 * `render`. Fails at collection if a topic has cases for the platform but no title, so none is skipped.
 */
export function itRendersTopics(platform: Platform, render: (markdown: string) => string): void {
  for (const { title, cases } of RENDER_TOPICS) {
    const mine = cases.filter((c) => c[platform] !== undefined);
    if (mine.length === 0) continue;
    const name = typeof title === "string" ? title : title[platform];
    if (name === undefined) throw new Error(`a topic has ${platform} cases but no ${platform} title`);
    it(name, () => {
      for (const c of mine) expect(render(c.markdown)).toBe(c[platform]);
    });
  }
}
