import { describe, expect, it } from "vitest";
import { LIMITS, renderMessages } from "../../../../src/adapters/teams/render/card.js";
import { splitTeamsMarkdown } from "../../../../src/adapters/teams/render/split.js";
import { type Block, type Choice, mentionToken, type Reply } from "../../../../src/core/reply.js";
import { CARD_LIMIT_BYTES, cardProblems } from "../../../support/adaptive-card.js";
import { storedReplies } from "../../../support/reply-fixture.js";

/**
 * Renders every reply the engine can produce (driven for real in test/support/every-reply.ts; stored in
 * test/fixtures/replies/, which test/unit/fixtures/replies.test.ts keeps equal to what the engine
 * produces) as Teams messages and checks every card against Adaptive Card 1.5 and Teams' 28 KB, plus
 * synthetic extremes no engine reply reaches today.
 */

const { produced, homes } = storedReplies("teams");

const names = (id: string) => (id === "U1" ? "Team <Lead>" : id === "U2" ? "Member" : undefined);
const cardsOf = (reply: Reply) => renderMessages(reply, names).flatMap((m) => (m.card ? [m.card] : []));
// biome-ignore lint/suspicious/noExplicitAny: walking card JSON
const submits = (card: any): any[] =>
  JSON.stringify(card).includes("Action.Submit")
    ? // biome-ignore lint/suspicious/noExplicitAny: walking card JSON
      (function walk(node: any): any[] {
        if (Array.isArray(node)) return node.flatMap(walk);
        if (node && typeof node === "object") {
          return [...(node.type === "Action.Submit" ? [node] : []), ...Object.values(node).flatMap(walk)];
        }
        return [];
      })(card)
    : [];

describe("Adaptive Cards for every engine reply", () => {
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
    expect(homes.length).toBe(4);
  });

  it("renders every reply as valid Adaptive Card 1.5 cards under 28 KB", () => {
    const problems = produced.flatMap(({ label, reply }) => {
      const messages = renderMessages(reply, names);
      if (messages.length === 0) return [`${label}: nothing rendered`];
      return messages.flatMap((m) => (m.card ? cardProblems(m.card).map((p) => `${label}: ${p}`) : []));
    });
    expect(problems).toEqual([]);
    const home = homes.flatMap(({ label, blocks }) =>
      cardsOf({ to: { kind: "origin" }, text: label, blocks }).flatMap((c) => cardProblems(c)),
    );
    expect(home).toEqual([]);
  });

  it("gives every answer one Action.Submit per level carrying action answer and the level", () => {
    const question = produced.find((p) => p.label === "U1-q1#0")!.reply;
    const [card] = cardsOf(question);
    const answers = submits(card).filter((a) => a.data.action === "answer");
    expect(answers.map((a) => a.title)).toEqual(["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]);
    expect(answers.map((a) => a.data.level)).toEqual([1, 2, 3, 4, 5]);
    for (const a of answers) expect(a.data.actionId).toMatch(/^answer/);
    expect(JSON.stringify(card)).toMatch(/Progress ●○{7} 2\/8/);
    // Last quarter's answer is marked: the option says so and its button stands out.
    const hinted = cardsOf(produced.find((p) => p.label === "assess-U2#1")!.reply)[0]!;
    expect(JSON.stringify(hinted)).toContain("Last quarter you answered");
    expect(submits(hinted).some((a) => a.style === "positive")).toBe(true);
  });

  it("shows the result card with score, level, band, why and the component table", () => {
    const result = produced.find((p) => p.label === "U2-result")!.reply;
    const json = JSON.stringify(cardsOf(result));
    for (const word of ["Score", "Level", "Band", "Table"]) expect(json).toContain(word);
    expect(json).toMatch(/next level|holding|because|needs/i);
  });

  it("turns engine mentions into Teams mentions and never lets text forge one", () => {
    const setup = cardsOf(produced.find((p) => p.label === "setup#0")!.reply)[0]!;
    expect(JSON.stringify(setup.body)).toContain("<at>Team &lt;Lead&gt;</at>");
    expect(setup.msteams.entities).toEqual([
      {
        type: "mention",
        text: "<at>Team &lt;Lead&gt;</at>",
        mentioned: { id: "U1", name: "Team <Lead>" },
      },
    ]);
    const [forged] = cardsOf({
      to: { kind: "origin" },
      text: "x",
      blocks: [
        { type: "markdown", text: `<at>Member</at> [x](javascript:alert(1)) ${mentionToken("U9")}` },
        { type: "heading", text: "<at>Everyone</at>" },
      ],
    });
    const body = JSON.stringify(forged!.body);
    expect(body).not.toContain("<at>");
    expect(body).toContain("&lt;at&gt;Member&lt;/at&gt;");
    expect(body).toContain("a team member");
    expect(forged!.msteams.entities).toBeUndefined();
  });
});

describe("Adaptive Card limits on extreme replies", () => {
  const long = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("splits long text over several cards, never mid-word or mid-markup", () => {
    const link = `[a link](https://example.com/${"x".repeat(100)})`;
    const text = `${long(4000)}\n\n${`**bold ${long(5)}** ${link} `.repeat(300)}\n\n${"y".repeat(5000)}`;
    const messages = renderMessages({ to: { kind: "origin" }, text, blocks: [{ type: "markdown", text }] });
    expect(messages.length).toBeGreaterThan(2);
    const pieces: string[] = [];
    for (const m of messages) {
      expect(cardProblems(m.card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(m.card))).toBeLessThanOrEqual(LIMITS.cardBytes);
      for (const b of m.card!.body) pieces.push(b.text as string);
    }
    for (const p of pieces.slice(0, -1)) {
      expect((p.match(/\*\*/g) ?? []).length % 2, p.slice(-60)).toBe(0);
      expect(p.lastIndexOf("[") <= p.lastIndexOf(")"), p.slice(-60)).toBe(true);
      expect(p.length).toBeLessThanOrEqual(LIMITS.textBlock);
    }
    // Every word arrives whole, in order.
    expect(
      pieces
        .join(" ")
        .split(/\s+/)
        .filter((w) => /^word\d+(\*\*)?$/.test(w)).length,
    ).toBe(4000 + 300 * 5);
  });

  it("splits at spaces, keeping links and bold runs whole", () => {
    const text = `${"a ".repeat(40)}**bold run** [link](https://e.example/x) tail`;
    const pieces = splitTeamsMarkdown(text, 95);
    expect(pieces.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
    expect(pieces.some((p) => p.includes("**bold run**"))).toBe(true);
    expect(pieces.some((p) => p.includes("[link](https://e.example/x)"))).toBe(true);
  });

  it("keeps a huge table, many buttons and many options valid and under 28 KB per card", () => {
    const many: Choice[] = Array.from({ length: 60 }, (_, i) => ({
      id: `answer-${i}`,
      label: `Level ${i} ${"L".repeat(100)}`,
      value: { action: "answer", level: (i % 5) + 1, q: "q1", t: "T", r: "2026-Q4" },
      description: `**Option ${i}**\n${long(100)}`,
      note: i === 3 ? "last quarter" : undefined,
    }));
    const blocks: Block[] = [
      { type: "heading", text: "H".repeat(400) },
      {
        type: "table",
        columns: ["Component", "Score", "Level"],
        rows: Array.from({ length: 300 }, (_, i) => [`C ${i}`, "2.5", "3"]),
      },
      {
        type: "fields",
        fields: Array.from({ length: 30 }, (_, i) => ({
          label: `L${i}`,
          value: "v".repeat(i === 0 ? 5000 : 3),
        })),
      },
      { type: "choices", choices: many },
      {
        type: "actions",
        buttons: Array.from({ length: 30 }, (_, i) => ({
          id: "same",
          label: "B",
          value: { action: "ask", q: `q${i}` },
        })),
      },
    ];
    const messages = renderMessages({ to: { kind: "origin" }, text: "t".repeat(50_000), blocks });
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(cardProblems(m.card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    }
    expect(messages.flatMap((m) => submits(m.card)).length).toBe(90);
    expect(messages[0]!.summary.length).toBeLessThanOrEqual(LIMITS.summary);
  });

  it("sends a picture as an image attachment of its own", () => {
    const data = new Uint8Array([137, 80, 78, 71]);
    const messages = renderMessages({
      to: { kind: "origin" },
      text: "Digest",
      blocks: [
        { type: "markdown", text: "The digest" },
        { type: "image", data, mime: "image/png", alt: "Levels by team", title: "Digest 2026-Q4" },
      ],
    });
    expect(messages).toHaveLength(2);
    expect(messages[1]!.image).toEqual({
      contentType: "image/png",
      contentUrl: "data:image/png;base64,iVBORw==",
      name: "Digest-2026-Q4.png",
    });
  });

  it("the validator itself refuses what Teams would not show", () => {
    const good = {
      type: "AdaptiveCard",
      version: "1.5",
      body: [{ type: "TextBlock", text: "x", wrap: true }],
    };
    expect(cardProblems(good)).toEqual([]);
    expect(cardProblems({ ...good, body: [{ type: "TextBlock", text: "x", colour: "red" }] })).not.toEqual(
      [],
    );
    expect(cardProblems({ ...good, body: [{ type: "Carousel" }] })).not.toEqual([]);
    expect(cardProblems({ ...good, body: [{ type: "TextBlock", text: "x", wrap: "yes" }] })).not.toEqual([]);
    expect(cardProblems({ ...good, version: "1.6" })).not.toEqual([]);
    expect(cardProblems({ ...good, body: [{ type: "TextBlock", text: "x".repeat(30_000) }] })).not.toEqual(
      [],
    );
  });
});
