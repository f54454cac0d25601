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
