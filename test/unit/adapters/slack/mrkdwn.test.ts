import { describe, expect, it } from "vitest";
import { BROADCAST_BREAK, escapeMrkdwn, toMrkdwn } from "../../../../src/adapters/slack/render/mrkdwn.js";
import { itRendersTopics } from "../render/markdown-cases.js";

const ZWJ = "\u200D";

describe("toMrkdwn", () => {
  itRendersTopics("slack", toMrkdwn);
});

describe("escapeMrkdwn", () => {
  it("stops channel and user mentions from being parsed", () => {
    expect(escapeMrkdwn("<!channel> hi")).toBe("&lt;!channel&gt; hi");
    expect(escapeMrkdwn("<!here|here>")).toBe("&lt;!here|here&gt;");
    expect(escapeMrkdwn("<@U123ABC>")).toBe("&lt;@U123ABC&gt;");
    expect(escapeMrkdwn("<#C123|general>")).toBe("&lt;#C123|general&gt;");
    expect(escapeMrkdwn("<!subteam^S123>")).toBe("&lt;!subteam^S123&gt;");
  });

  it("neutralises bare broadcasts with an invisible zero-width joiner after the @", () => {
    expect(BROADCAST_BREAK).toBe(ZWJ);
    expect(escapeMrkdwn("@here")).toBe(`@${ZWJ}here`);
    expect(escapeMrkdwn("hey @channel and @everyone!")).toBe(`hey @${ZWJ}channel and @${ZWJ}everyone!`);
    expect(escapeMrkdwn("@HERE")).toBe(`@${ZWJ}HERE`);
    expect(escapeMrkdwn("mail me@example.com, ask @lead")).toBe("mail me@example.com, ask @lead");
  });

  it("escapes HTML and links so they show as typed", () => {
    expect(escapeMrkdwn("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escapeMrkdwn("<https://evil.example|click>")).toBe("&lt;https://evil.example|click&gt;");
    expect(escapeMrkdwn("R&D &amp; more")).toBe("R&amp;D &amp;amp; more");
  });

  it("leaves ordinary text alone", () => {
    expect(escapeMrkdwn("What is level 3?")).toBe("What is level 3?");
    expect(escapeMrkdwn("")).toBe("");
  });
});

describe("toMrkdwn, piece by piece", () => {
  it("encodes spaces, pipes and ampersands in link targets and keeps parentheses", () => {
    expect(toMrkdwn("[a](<https://e.example/a b>)")).toBe("<https://e.example/a%20b|a>");
    expect(toMrkdwn("[a](https://e.example/a|b&c)")).toBe("<https://e.example/a%7Cb&amp;c|a>");
    expect(toMrkdwn("[x](https://e.example/(y))")).toBe("<https://e.example/(y)|x>");
    expect(toMrkdwn("mail: [m](MAILTO:a@b.c)")).toBe("mail: <MAILTO:a@b.c|m>");
  });

  it("shows a link whose text is its URL, or that has no text, as the bare URL", () => {
    expect(toMrkdwn("<https://e.example>")).toBe("<https://e.example>");
    expect(toMrkdwn("[](https://e.example)")).toBe("<https://e.example>");
    expect(toMrkdwn("![img](https://e.example/p.png) ![bad](javascript:x)")).toBe(
      "<https://e.example/p.png|img> bad",
    );
  });

  it("marks task items, keeps an ordered list's numbers and indents nested lists by four spaces", () => {
    expect(toMrkdwn("- [x] done\n- [ ] todo")).toBe("☑ done\n☐ todo");
    expect(toMrkdwn("3. three\n4. four")).toBe("3. three\n4. four");
    expect(toMrkdwn("- a\n  - b\n    - c")).toBe("• a\n    • b\n        • c");
  });

  it("nests marks without doubling them and escapes code", () => {
    expect(toMrkdwn("***both***")).toBe("_*both*_");
    expect(toMrkdwn("**a *b* ~~c~~**")).toBe("*a _b_ ~c~*");
    expect(toMrkdwn("# H1 **b**\n\ntext")).toBe("*H1 b*\n\ntext");
    expect(toMrkdwn("```\n  code <x>\n```")).toBe("```\n  code &lt;x&gt;\n```");
    expect(toMrkdwn("`a <c> *d*`")).toBe("`a &lt;c&gt; *d*`");
  });

  it("decodes character references before escaping, keeping unknown ones as typed", () => {
    expect(toMrkdwn("&#65;&#x42;&amp;&lt;&gt;&quot;&apos;&nbsp;&copy;")).toBe(
      "AB&amp;&lt;&gt;\"'\u00A0&amp;copy;",
    );
  });

  it("drops empty table rows, HTML comments and turns <br> into a line break", () => {
    expect(toMrkdwn("| a | b |\n|---|---|\n|  |  |\n| 1 | 2 |")).toBe("*a* | *b*\n1 | 2");
    expect(toMrkdwn("<!-- c -->\ntext")).toBe("text");
    expect(toMrkdwn("one<br>two")).toBe("one\ntwo");
    expect(toMrkdwn("one<BR />two")).toBe("one\ntwo");
    expect(toMrkdwn("> quote\n>\n> more")).toBe("> quote\n>\n> more");
  });

  it("returns the same text for the same markdown, long or short (the cache changes nothing)", () => {
    const long = `**x** ${"y ".repeat(5000)}`;
    expect(toMrkdwn(long)).toBe(toMrkdwn(long));
    expect(toMrkdwn(long).startsWith("*x* y y")).toBe(true);
    expect(toMrkdwn("**c**")).toBe("*c*");
    expect(toMrkdwn("**c**")).toBe("*c*");
  });
});
