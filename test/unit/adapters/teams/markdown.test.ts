import { describe, expect, it } from "vitest";
import { escapeTeams, toTeamsMarkdown } from "../../../../src/adapters/teams/render/markdown.js";
import { itRendersTopics } from "../render/markdown-cases.js";

describe("toTeamsMarkdown", () => {
  itRendersTopics("teams", toTeamsMarkdown);
});

describe("escapeTeams", () => {
  it("neutralises <at> mention markup and HTML tags", () => {
    expect(escapeTeams("<at>Everyone</at>")).toBe("&lt;at&gt;Everyone&lt;/at&gt;");
    expect(escapeTeams("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escapeTeams('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror="alert(1)"&gt;');
  });

  it("stops markdown links, images and autolinks from being injected", () => {
    expect(escapeTeams("[click me](https://evil.example)")).toBe("\\[click me\\](https://evil.example)");
    expect(escapeTeams("![pixel](https://evil.example/p.png)")).toBe(
      "!\\[pixel\\](https://evil.example/p.png)",
    );
    expect(escapeTeams("<https://evil.example>")).toBe("&lt;https://evil.example&gt;");
  });

  it("keeps backslashes, emphasis and code markers literal", () => {
    expect(escapeTeams("\\[still text\\]")).toBe("\\\\\\[still text\\\\\\]");
    expect(escapeTeams("**not bold** _not italic_ `not code` ~~kept~~")).toBe(
      "\\*\\*not bold\\*\\* \\_not italic\\_ \\`not code\\` \\~\\~kept\\~\\~",
    );
  });

  it("escapes & so typed entities show as typed", () => {
    expect(escapeTeams("R&D &lt;at&gt;")).toBe("R&amp;D &amp;lt;at&amp;gt;");
  });

  it("leaves ordinary text and Slack-style mentions alone apart from < and >", () => {
    expect(escapeTeams("What is level 3?")).toBe("What is level 3?");
    expect(escapeTeams("<!channel> hi @here")).toBe("&lt;!channel&gt; hi @here");
    expect(escapeTeams("")).toBe("");
  });
});

describe("toTeamsMarkdown, piece by piece", () => {
  it("percent-encodes spaces, parentheses and angle brackets in link targets", () => {
    expect(toTeamsMarkdown("[a](<https://e.example/a b>)")).toBe("[a](https://e.example/a%20b)");
    expect(toTeamsMarkdown("[x](https://e.example/(y))")).toBe("[x](https://e.example/%28y%29)");
    expect(toTeamsMarkdown("[a](https://e.example/a|b&c)")).toBe("[a](https://e.example/a|b&c)");
  });

  it("shows a link without text as its URL, escaped, and an image as a link", () => {
    expect(toTeamsMarkdown("[](https://e.example/a_b)")).toBe(
      "[https://e.example/a\\_b](https://e.example/a_b)",
    );
    expect(toTeamsMarkdown("![img](https://e.example/p.png)")).toBe("[img](https://e.example/p.png)");
    expect(toTeamsMarkdown("![bad](javascript:x)")).toBe("bad");
  });

  it("marks task items and indents nested lists to their parent's text", () => {
    expect(toTeamsMarkdown("- [x] done\n- [ ] todo")).toBe("- ☑ done\n- ☐ todo");
    expect(toTeamsMarkdown("9. nine\n10. ten\n    - sub")).toBe("9. nine\n10. ten\n    - sub");
    expect(toTeamsMarkdown("- a\n  - b\n    - c")).toBe("- a\n  - b\n    - c");
  });

  it("indents code blocks with no-break spaces, keeping their own indentation", () => {
    expect(toTeamsMarkdown("```\n  code <x>\nplain *y*\n```")).toBe(
      "\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0code &lt;x&gt;\n\u00A0\u00A0\u00A0\u00A0plain \\*y\\*",
    );
    expect(toTeamsMarkdown("`a [b] <c> *d*`")).toBe("`a \\[b\\] &lt;c&gt; *d*`");
  });

  it("nests marks without doubling them", () => {
    expect(toTeamsMarkdown("***both***")).toBe("_**both**_");
    expect(toTeamsMarkdown("**a *b* ~~c~~**")).toBe("**a _b_ ~~c~~**");
    expect(toTeamsMarkdown("  \n\ntext\n\n  ")).toBe("text");
  });
});
