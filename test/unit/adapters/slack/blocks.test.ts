import { describe, expect, it } from "vitest";
import {
  fallbackText,
  LIMITS,
  renderMessage,
  renderView,
  splitMrkdwn,
} from "../../../../src/adapters/slack/render/blocks.js";
import { type Block, type Choice, mentionToken } from "../../../../src/core/reply.js";
import { blockKitProblems, buttonsOf, messageProblems } from "../../../support/block-kit.js";
import { storedReplies } from "../../../support/reply-fixture.js";

/**
 * Renders every reply the engine can produce (driven for real in test/support/every-reply.ts; stored in
 * test/fixtures/replies/, which test/unit/fixtures/replies.test.ts keeps equal to what the engine
 * produces) and checks each against Block Kit's limits, plus synthetic extremes no engine reply reaches
 * today.
 */

const { produced, homes } = storedReplies("slack");

describe("Block Kit rendering of every engine reply", () => {
  it("drove the engine through every kind of reply", () => {
    expect(produced.length).toBeGreaterThan(80);
    const kinds = new Set(produced.flatMap((p) => p.reply.blocks.map((b) => b.type)));
    expect([...kinds].sort()).toEqual([
      "actions",
      "choices",
      "context",
      "fields",
      "heading",
      "markdown",
      "table",
    ]);
    // Hints from last quarter, a result, a visible and a hidden status, stale buttons.
    const texts = produced.map((p) => JSON.stringify(p.reply.blocks));
    expect(texts.some((t) => t.includes("Last quarter you answered"))).toBe(true);
    expect(texts.some((t) => t.includes("Keep Level"))).toBe(true);
    expect(produced.some((p) => p.reply.text.startsWith("Your result"))).toBe(true);
    expect(texts.some((t) => t.includes("Respondents"))).toBe(true);
    expect(texts.some((t) => t.includes("The team result appears once"))).toBe(true);
    const stale = produced.filter((p) =>
      /^(?:stale-answer|double-click|bad-value|old-round|unknown-action)#/.test(p.label),
    );
    expect(stale.map((p) => p.label.split("#")[0]).sort()).toEqual([
      "bad-value",
      "double-click",
      "old-round",
      "stale-answer",
      "unknown-action",
    ]);
    expect(stale.every((p) => p.reply.private)).toBe(true);
    expect(produced.filter((p) => /^U[12]-q\d/.test(p.label)).length).toBeGreaterThanOrEqual(14);
  });

  it("keeps every message within Block Kit's limits", () => {
    const problems = produced.flatMap(({ label, reply }) =>
      messageProblems(renderMessage(reply)).map((p) => `${label}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it("keeps App Home within a view's limits", () => {
    expect(homes.length).toBe(4);
    for (const { label, blocks } of homes) {
      const view = renderView(blocks);
      expect(blockKitProblems(view, "view"), label).toEqual([]);
    }
    const u2 = JSON.stringify(renderView(homes.find((x) => x.label === "home-U2")!.blocks));
    expect(u2).toContain("Next steps");
    expect(u2).toContain("Band");
    expect(u2).toContain("Trend");
    const nobody = JSON.stringify(renderView(homes.find((x) => x.label === "home-U9")!.blocks));
    expect(nobody).toContain("not in a team yet");
  });

  it("renders an answer button as JSON carrying its level, with an action_id beginning with answer", () => {
    const question = produced.find((p) => p.label === "U1-q1#0")!.reply;
    const rendered = renderMessage(question);
    const answers = buttonsOf(rendered.blocks).filter((b: { action_id: string }) =>
      b.action_id.startsWith("answer"),
    );
    expect(answers.length).toBeGreaterThanOrEqual(5);
    for (const b of answers) {
      const value = JSON.parse(b.value);
      expect(value.level).toBeGreaterThanOrEqual(1);
      expect(value.action).toBe("answer");
    }
    // One section per option, its button beside it; the chosen level marked primary.
    const sections = rendered.blocks.filter((b) => b.type === "section" && "accessory" in b && b.accessory);
    expect(sections).toHaveLength(5);
    expect(sections.map((s) => (s as { accessory: { text: { text: string } } }).accessory.text.text)).toEqual(
      ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"],
    );
    const hinted = renderMessage(produced.find((p) => p.label === "assess-U2#1")!.reply);
    expect(
      buttonsOf(hinted.blocks).filter((b: { style?: string }) => b.style === "primary").length,
    ).toBeGreaterThanOrEqual(1);
  });

  it("turns mention tokens into Slack mentions after escaping, and never lets text forge one", () => {
    const setup = renderMessage(produced.find((p) => p.label === "setup#0")!.reply);
    expect(JSON.stringify(setup.blocks)).toContain("<@U1>");
    expect(setup.text).toContain("<@U1>");
    const forged = renderMessage({
      to: { kind: "origin" },
      text: "hi <@U2> @here <!channel>",
      blocks: [
        {
          type: "markdown",
          text: `ping <@U2> <!here> @channel & ${mentionToken("U3")} ${mentionToken("<!everyone>")}`,
        },
        { type: "heading", text: `Hello ${mentionToken("U3")}` },
      ],
    });
    const json = JSON.stringify(forged);
    expect(json).toContain("&lt;@U2&gt;");
    expect(json).toContain("&lt;!here&gt;");
    expect(json).toContain("<@U3>");
    expect(json).not.toContain("<!everyone>");
    expect(messageProblems(forged)).toEqual([]);
    expect(forged.text).toBe("hi &lt;@U2&gt; @\u200Dhere &lt;!channel&gt;");
  });
});

describe("Block Kit limits on extreme replies", () => {
  const long = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("splits long markdown into sections, keeping code blocks closed and links whole", () => {
    const code = `\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} <tag> & more`).join("\n")}\n\`\`\``;
    const link = `[a link](https://example.com/${"x".repeat(100)})`;
    const text = `${long(800)}\n\n${code}\n\n${`${link} `.repeat(60)}\n\n${"y".repeat(7000)}`;
    const msg = renderMessage({ to: { kind: "origin" }, text, blocks: [{ type: "markdown", text }] });
    expect(messageProblems(msg)).toEqual([]);
    const sections = msg.blocks.map((b) => (b as { text?: { text: string } }).text?.text ?? "");
    expect(sections.length).toBeGreaterThan(5);
    for (const s of sections) {
      expect((s.match(/```/g) ?? []).length % 2, s.slice(0, 80)).toBe(0);
      expect(s.lastIndexOf("<") <= s.lastIndexOf(">")).toBe(true);
    }
    expect(sections.join("")).toContain("line 399 &lt;tag&gt; &amp; more");
  });

  it("never cuts an entity or a surrogate pair", () => {
    const pieces = splitMrkdwn(`${"a".repeat(2995)}&amp;😀${"b".repeat(3000)}`, 3000);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.join("")).toContain("&amp;😀");
  });

  it("keeps buttons and cuts text when a message would pass 50 blocks", () => {
    const blocks: Block[] = [
      { type: "heading", text: "H".repeat(400) },
      ...Array.from({ length: 70 }, (_, i): Block => ({ type: "markdown", text: `part ${i}` })),
      {
        type: "actions",
        buttons: Array.from({ length: 30 }, (_, i) => ({
          id: "same",
          label: "L".repeat(120),
          value: { action: "ask", q: `q${i}` },
        })),
      },
      { type: "context", text: "c".repeat(5000) },
    ];
    const msg = renderMessage({ to: { kind: "origin" }, text: "t".repeat(50_000), blocks });
    expect(messageProblems(msg)).toEqual([]);
    expect(msg.blocks.length).toBe(LIMITS.messageBlocks);
    expect(buttonsOf(msg.blocks)).toHaveLength(30);
    expect(JSON.stringify(msg.blocks)).toContain("Shortened to fit Slack");
    expect(msg.text.length).toBeLessThanOrEqual(40_000); // Slack's documented limit for `text`
  });

  it("falls back to compact choices when a section per option would not fit", () => {
    const many: Choice[] = Array.from({ length: 60 }, (_, i) => ({
      id: `answer-${i}`,
      label: `Level ${i}`,
      value: { action: "answer", level: (i % 5) + 1, q: "q1", t: "CTEAM", r: "2026-Q4" },
      description: `**Option ${i}**\n${long(100)}`,
      note: i === 3 ? "last quarter" : undefined,
    }));
    const msg = renderMessage({
      to: { kind: "origin" },
      text: "q",
      blocks: [{ type: "choices", choices: many }],
    });
    expect(messageProblems(msg)).toEqual([]);
    expect(buttonsOf(msg.blocks)).toHaveLength(60);
  });

  it("shortens a long option description instead of splitting it from its button", () => {
    const choice: Choice = {
      id: "answer-1",
      label: "Level 1",
      value: { action: "answer", level: 1 },
      description: "d".repeat(9000),
    };
    const msg = renderMessage({
      to: { kind: "origin" },
      text: "q",
      blocks: [{ type: "choices", choices: [choice] }],
    });
    expect(messageProblems(msg)).toEqual([]);
    expect(msg.blocks).toHaveLength(1);
  });

  it("drops a button whose value cannot fit rather than send it broken", () => {
    const msg = renderMessage({
      to: { kind: "origin" },
      text: "x",
      blocks: [
        {
          type: "actions",
          buttons: [
            { id: "big", label: "Big", value: { action: "ask", q: "q".repeat(2100) } },
            { id: "ok", label: "OK", value: { action: "help" } },
          ],
        },
      ],
    });
    expect(messageProblems(msg)).toEqual([]);
    expect(buttonsOf(msg.blocks).map((b: { action_id: string }) => b.action_id)).toEqual(["ok"]);
  });

  it("renders tables as aligned monospace text and many fields over several sections", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [
      `Component ${i} with a long name`,
      "2.5",
      String(i % 5),
    ]);
    const msg = renderMessage({
      to: { kind: "origin" },
      text: "t",
      blocks: [
        { type: "table", columns: ["Component", "Score", "Level"], rows },
        {
          type: "fields",
          fields: Array.from({ length: 23 }, (_, i) => ({
            label: `L${i}`,
            value: "v".repeat(i === 0 ? 5000 : 3),
          })),
        },
        { type: "divider" },
        { type: "divider" },
      ],
    });
    expect(messageProblems(msg)).toEqual([]);
    const first = (msg.blocks[0] as { text: { text: string } }).text.text;
    expect(first.startsWith("```\nComponent")).toBe(true);
    expect(msg.blocks.filter((b) => b.type === "divider")).toHaveLength(1);
  });

  it("always has a fallback text", () => {
    expect(fallbackText("")).toBe("maturity-bot");
    expect(fallbackText(`Hi ${mentionToken("U1")} & <b>`)).toBe("Hi <@U1> &amp; &lt;b&gt;");
  });
});
