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
