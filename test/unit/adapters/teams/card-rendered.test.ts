import { describe, expect, it } from "vitest";
import { renderMessages, summaryOf } from "../../../../src/adapters/teams/render/card.js";
import {
  type Block,
  type Button,
  type Choice,
  mentionToken,
  type Reply,
} from "../../../../src/core/reply.js";

/** The Adaptive Card JSON a Teams user receives, element by element, for small replies. */

const names = (id: string) => (id === "U1" ? "Ann  <Lead>" : id === "U2" ? "Bob" : undefined);
const reply = (blocks: Block[], extra: Partial<Reply> = {}): Reply => ({
  to: { kind: "origin" },
  text: "t",
  blocks,
  ...extra,
});
const bodyOf = (blocks: Block[], extra: Partial<Reply> = {}) => {
  const messages = renderMessages(reply(blocks, extra), names);
  expect(messages).toHaveLength(1);
  return messages[0]!.card!.body;
};
const text = (t: string, extra: Record<string, unknown> = {}) => ({
  type: "TextBlock",
  text: t,
  wrap: true,
  ...extra,
});
const submit = (title: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "Action.Submit",
  title,
  data,
  ...extra,
});
const button = (id: string, label: string, style?: Button["style"]): Button => ({
  id,
  label,
  value: { action: "go", n: 1 },
  ...(style ? { style } : {}),
});

describe("the card", () => {
  it("is an Adaptive Card 1.5 at full width, with the summary beside it", () => {
    const [message] = renderMessages(reply([{ type: "markdown", text: "hi" }], { text: "Hello **there**" }));
    expect(message).toEqual({
      summary: "Hello **there**",
      card: {
        type: "AdaptiveCard",
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        version: "1.5",
        body: [text("hi")],
        msteams: { width: "Full" },
      },
    });
  });

  it("shows the reply's text when no block renders", () => {
    expect(bodyOf([], { text: `**Hi** ${mentionToken("U2")} <x>` })).toEqual([text("Hi Bob &lt;x&gt;")]);
    expect(bodyOf([{ type: "heading", text: " " }], { text: "" })).toEqual([text("…")]);
  });

  it("starts an assessment question with its progress", () => {
    expect(bodyOf([{ type: "markdown", text: "q" }], { progress: { current: 3, total: 5 } })[0]).toEqual(
      text("Progress ●●○○○ 3/5", { size: "Small", isSubtle: true }),
    );
    expect(bodyOf([], { progress: { current: 1, total: 2 } })[0]).toEqual(
      text("Progress ○○ 1/2", { size: "Small", isSubtle: true }),
    );
    expect(bodyOf([], { progress: { current: 9, total: 2 } })[0]).toEqual(
      text("Progress ●● 9/2", { size: "Small", isSubtle: true }),
    );
  });
});

describe("blocks", () => {
  it("renders headings large and bold, escaped, mentions as names", () => {
    expect(
      bodyOf([{ type: "heading", text: `**Team** <x> ${mentionToken("U1")} ${mentionToken("U9")}` }]),
    ).toEqual([text("Team &lt;x&gt; Ann &lt;Lead&gt; a team member", { size: "Large", weight: "Bolder" })]);
  });

  it("renders markdown and context, context small and subtle", () => {
    expect(
      bodyOf([
        { type: "markdown", text: "**b** <at>x</at>" },
        { type: "context", text: "_c_" },
      ]),
    ).toEqual([text("**b** &lt;at&gt;x&lt;/at&gt;"), text("_c_", { size: "Small", isSubtle: true })]);
  });

  it("separates the element after a divider, never the first", () => {
    expect(
      bodyOf([
        { type: "divider" },
        { type: "markdown", text: "a" },
        { type: "divider" },
        { type: "markdown", text: "b" },
        { type: "markdown", text: "c" },
      ]),
    ).toEqual([text("a"), { ...text("b"), separator: true, spacing: "Medium" }, text("c")]);
  });

  it("renders fields as a FactSet, values on one line, a dash for an empty one, none when there are none", () => {
    expect(
      bodyOf([
        {
          type: "fields",
          fields: [
            { label: "**Score** <s>", value: "2.5\n\n**high**" },
            { label: "Empty", value: "" },
          ],
        },
      ]),
    ).toEqual([
      {
        type: "FactSet",
        facts: [
          { title: "Score &lt;s&gt;", value: "2.5 **high**" },
          { title: "Empty", value: "–" },
        ],
      },
    ]);
    expect(bodyOf([{ type: "fields", fields: [] }], { text: "none" })).toEqual([text("none")]);
  });

  it("cuts a long fact title at a space near 200 characters", () => {
    const [factSet] = bodyOf([
      { type: "fields", fields: [{ label: `${"w".repeat(150)} ${"x".repeat(100)}`, value: "v" }] },
    ]) as unknown as {
      facts: { title: string }[];
    }[];
    expect(factSet!.facts[0]!.title).toBe(`${"w".repeat(150)}…`);
    const [noSpace] = bodyOf([
      { type: "fields", fields: [{ label: "y".repeat(201), value: "v" }] },
    ]) as unknown as {
      facts: { title: string }[];
    }[];
    expect(noSpace!.facts[0]!.title).toBe(`${"y".repeat(199)}…`);
    const [exact] = bodyOf([
      { type: "fields", fields: [{ label: "z".repeat(200), value: "v" }] },
    ]) as unknown as {
      facts: { title: string }[];
    }[];
    expect(exact!.facts[0]!.title).toBe("z".repeat(200));
  });

  it("renders a table with a bold header row, escaped cells and a dash for a missing one", () => {
    expect(
      bodyOf([{ type: "table", columns: ["Component", "<Level>"], rows: [["Data", "2"], ["Ops"]] }]),
    ).toEqual([
      {
        type: "Table",
        showGridLines: false,
        columns: [{ width: 3 }, { width: 1 }],
        rows: [
          {
            type: "TableRow",
            cells: [
              { type: "TableCell", items: [text("Component", { weight: "Bolder" })] },
              { type: "TableCell", items: [text("&lt;Level&gt;", { weight: "Bolder" })] },
            ],
          },
          {
            type: "TableRow",
            cells: [
              { type: "TableCell", items: [text("Data")] },
              { type: "TableCell", items: [text("2")] },
            ],
          },
          {
            type: "TableRow",
            cells: [
              { type: "TableCell", items: [text("Ops")] },
              { type: "TableCell", items: [text("–")] },
            ],
          },
        ],
      },
    ]);
  });

  it("splits a table into tables of 40 rows, each with the header, and keeps a header-only table", () => {
    const rows = Array.from({ length: 81 }, (_, i) => [`r${i}`]);
    const tables = bodyOf([{ type: "table", columns: ["C"], rows }]) as unknown as {
      rows: { cells: { items: { text: string }[] }[] }[];
    }[];
    expect(tables.map((t) => t.rows.length)).toEqual([41, 41, 2]);
    expect(tables.map((t) => t.rows[0]!.cells[0]!.items[0]!.text)).toEqual(["C", "C", "C"]);
    expect(tables.map((t) => t.rows[1]!.cells[0]!.items[0]!.text)).toEqual(["r0", "r40", "r80"]);
    const forty = bodyOf([{ type: "table", columns: ["C"], rows: rows.slice(0, 40) }]);
    expect(forty).toHaveLength(1);
    const [empty] = bodyOf([{ type: "table", columns: ["C"], rows: [] }]) as unknown as { rows: unknown[] }[];
    expect(empty!.rows).toHaveLength(1);
  });

  it("renders each option as a container: description, note, and its button; the chosen one emphasised", () => {
    const choices: Choice[] = [
      {
        id: "answer-1",
        label: "**Level 1**",
        value: { action: "answer", level: 1 },
        description: "**One** <b>",
        note: "last *quarter*",
        style: "primary",
      },
      { id: "answer-2", label: "", value: { action: "answer", level: 2 }, description: "" },
    ];
    expect(bodyOf([{ type: "choices", choices }])).toEqual([
      {
        type: "Container",
        style: "emphasis",
        items: [
          text("**One** &lt;b&gt;"),
          text("_last quarter_", { isSubtle: true }),
          {
            type: "ActionSet",
            actions: [
              submit("Level 1", { action: "answer", level: 1, actionId: "answer-1" }, { style: "positive" }),
            ],
          },
        ],
      },
      {
        type: "Container",
        items: [
          {
            type: "ActionSet",
            actions: [submit("Open", { action: "answer", level: 2, actionId: "answer-2" })],
          },
        ],
      },
    ]);
  });

  it("puts buttons in sets of five, styles positive and destructive, titles cut at 60", () => {
    const buttons = [
      button("a", "A", "primary"),
      button("b", "B", "danger"),
      button("c", `${"c".repeat(50)} ${"d".repeat(20)}`),
      button("d", "D"),
      button("e", "E"),
      button("f", "F"),
    ];
    expect(bodyOf([{ type: "actions", buttons }])).toEqual([
      {
        type: "ActionSet",
        actions: [
          submit("A", { action: "go", n: 1, actionId: "a" }, { style: "positive" }),
          submit("B", { action: "go", n: 1, actionId: "b" }, { style: "destructive" }),
          submit(`${"c".repeat(50)}…`, { action: "go", n: 1, actionId: "c" }),
          submit("D", { action: "go", n: 1, actionId: "d" }),
          submit("E", { action: "go", n: 1, actionId: "e" }),
        ],
      },
      { type: "ActionSet", actions: [submit("F", { action: "go", n: 1, actionId: "f" })] },
    ]);
  });
});

describe("mentions", () => {
  it("become Teams mentions with one entity per person, escaped and on one line", () => {
    const [message] = renderMessages(
      reply([
        {
          type: "markdown",
          text: `${mentionToken("U1")} and ${mentionToken("U1")}, ${mentionToken("U2")}; ${mentionToken("U9")}`,
        },
      ]),
      names,
    );
    expect(message!.card!.body).toEqual([
      text("<at>Ann &lt;Lead&gt;</at> and <at>Ann &lt;Lead&gt;</at>, <at>Bob</at>; a team member"),
    ]);
    expect(message!.card!.msteams.entities).toEqual([
      { type: "mention", text: "<at>Ann &lt;Lead&gt;</at>", mentioned: { id: "U1", name: "Ann  <Lead>" } },
      { type: "mention", text: "<at>Bob</at>", mentioned: { id: "U2", name: "Bob" } },
    ]);
  });

  it("are plain text without names", () => {
    const [message] = renderMessages(reply([{ type: "markdown", text: `hi ${mentionToken("U1")}` }]));
    expect(message!.card!.body).toEqual([text("hi a team member")]);
    expect(message!.card!.msteams).toEqual({ width: "Full" });
  });

  it("cut a very long name at 100 characters", () => {
    const [message] = renderMessages(reply([{ type: "markdown", text: mentionToken("U3") }]), () =>
      "n".repeat(150),
    );
    expect(message!.card!.body).toEqual([text(`<at>${"n".repeat(100)}</at>`)]);
  });
});

describe("the summary", () => {
  it("is one line of names, no tags, cut at 300", () => {
    expect(
      summaryOf(`Hi ${mentionToken("U1")}, <at>x</at> <!-- c --> a\n\nb ${mentionToken("U9")}`, names),
    ).toBe(
      // Nothing shaped like a tag survives, a name included.
      "Hi Ann , x a b a team member",
    );
    expect(summaryOf("   ")).toBe("maturity-bot");
    expect(summaryOf("s".repeat(300))).toBe("s".repeat(300));
    expect(summaryOf("s".repeat(301))).toBe(`${"s".repeat(299)}…`);
  });
});

describe("several cards and pictures", () => {
  it("packs elements into cards of at most 24 KB, in order, each with its own mentions", () => {
    const big = "x".repeat(2900);
    const blocks: Block[] = Array.from(
      { length: 10 },
      (_, i): Block => ({ type: "markdown", text: `${i} ${big}` }),
    );
    blocks.push({ type: "markdown", text: `end ${mentionToken("U2")}` });
    const messages = renderMessages(reply(blocks, { text: "S" }), names);
    expect(messages.length).toBe(2);
    expect(messages.map((m) => m.summary)).toEqual(["S", "S"]);
    expect(messages[0]!.card!.body).toHaveLength(8);
    expect(messages[1]!.card!.body.map((b) => (b.text as string).slice(0, 2))).toEqual(["8 ", "9 ", "en"]);
    expect(messages[0]!.card!.msteams).toEqual({ width: "Full" });
    expect(messages[1]!.card!.msteams.entities).toEqual([
      { type: "mention", text: "<at>Bob</at>", mentioned: { id: "U2", name: "Bob" } },
    ]);
  });

  it("sends a picture as its own message, named after its title, summarised by its alt text", () => {
    const data = new Uint8Array([1, 2, 3]);
    const messages = renderMessages(
      reply(
        [
          {
            type: "image",
            data,
            mime: "image/png",
            alt: "**Levels** by team",
            title: "Digest: 2026/Q4 (all)",
          },
          { type: "image", data, mime: "image/png", alt: "", title: "!!!" },
          { type: "image", data, mime: "image/png", alt: "a".repeat(400), title: "" },
        ],
        { text: "Digest" },
      ),
    );
    expect(messages.map((m) => [m.summary.slice(0, 20), m.image?.name])).toEqual([
      ["Digest", undefined],
      ["Levels by team", "Digest-2026-Q4-all-.png"],
      ["Digest", "-.png"],
      ["a".repeat(20), "chart.png"],
    ]);
    expect(messages[3]!.summary).toBe("a".repeat(300));
    expect(messages[1]!.image!.contentUrl).toBe("data:image/png;base64,AQID");
    expect(messages[1]!.image!.contentType).toBe("image/png");
    const long = renderMessages(
      reply([{ type: "image", data, mime: "image/png", alt: "x", title: "t".repeat(80) }]),
    );
    expect(long[1]!.image!.name).toBe(`${"t".repeat(60)}.png`);
  });
});

describe("edges", () => {
  it("shows progress before the first question as all open", () => {
    expect(bodyOf([], { progress: { current: 0, total: 2 } })[0]).toEqual(
      text("Progress ○○ 0/2", { size: "Small", isSubtle: true }),
    );
  });

  it("gives two people with the same name a mention each, and trims a name", () => {
    const same = (id: string) => (id === "U1" ? "Sam" : id === "U2" ? " Sam\n" : undefined);
    const [message] = renderMessages(
      reply([{ type: "markdown", text: `${mentionToken("U1")} ${mentionToken("U2")}` }]),
      same,
    );
    expect(message!.card!.body).toEqual([text("<at>Sam</at> <at>Sam</at>")]);
    expect(message!.card!.msteams.entities).toEqual([
      { type: "mention", text: "<at>Sam</at>", mentioned: { id: "U1", name: "Sam" } },
      { type: "mention", text: "<at>Sam</at>", mentioned: { id: "U2", name: " Sam\n" } },
    ]);
  });

  it("sends an element larger than a card on its own, never an empty card first", () => {
    const fields = Array.from({ length: 10 }, (_, i) => ({ label: `L${i}`, value: "v".repeat(3000) }));
    const messages = renderMessages(
      reply([
        { type: "fields", fields },
        { type: "markdown", text: "after" },
      ]),
    );
    expect(messages.map((m) => m.card!.body.map((b) => b.type))).toEqual([["FactSet"], ["TextBlock"]]);
  });

  it("cuts a title at its last space only past half the limit", () => {
    const [factSet] = bodyOf([
      { type: "fields", fields: [{ label: `${"x".repeat(100)} ${"y".repeat(150)}`, value: "v" }] },
    ]) as unknown as { facts: { title: string }[] }[];
    expect(factSet!.facts[0]!.title).toBe(`${"x".repeat(100)} ${"y".repeat(98)}…`);
  });

  it("drops stray mention marks from headings and summaries", () => {
    expect(bodyOf([{ type: "heading", text: "a\uE001b\uE000c" }])).toEqual([
      text("abc", { size: "Large", weight: "Bolder" }),
    ]);
    expect(summaryOf("a\uE001b\uE000c")).toBe("abc");
  });
});
