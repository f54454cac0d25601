import { describe, expect, it } from "vitest";
import {
  fallbackText,
  renderMessage,
  renderView,
  shortenMrkdwn,
  splitMrkdwn,
} from "../../../../src/adapters/slack/render/blocks.js";
import {
  type Block,
  type Button,
  type Choice,
  mentionToken,
  type Reply,
} from "../../../../src/core/reply.js";

/** The Block Kit JSON a user's Slack client receives, block by block, for small replies. */

const ZWJ = "\u200D";
const msg = (...blocks: Block[]) => renderMessage({ to: { kind: "origin" }, text: "t", blocks } as Reply);
const blocksOf = (...blocks: Block[]) => msg(...blocks).blocks;
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const button = (id: string, label: string, value: Button["value"] = { action: "help" }): Button => ({
  id,
  label,
  value,
});

describe("fallback text", () => {
  it("is one line, escaped, with Slack mentions for Slack ids and @names for anything else", () => {
    expect(fallbackText("  Hi\n\n  there\tyou  ")).toBe("Hi there you");
    expect(
      fallbackText(`${mentionToken("U1AB")} and ${mentionToken("W2")} ask ${mentionToken("bob <x>")}`),
    ).toBe("<@U1AB> and <@W2> ask @bob &lt;x&gt;");
    expect(fallbackText(`${mentionToken("u1")} @here`)).toBe(`@u1 @${ZWJ}here`);
    expect(fallbackText("   ")).toBe("maturity-bot");
  });

  it("is cut at 3,000 characters with an ellipsis", () => {
    expect(fallbackText("x".repeat(3000))).toBe("x".repeat(3000));
    expect(fallbackText(`${"x".repeat(2990)} ${"y".repeat(20)}`)).toBe(
      `${"x".repeat(2990)} ${"y".repeat(8)}…`,
    );
    expect(fallbackText(`${"x".repeat(2998)}  yy`)).toBe(`${"x".repeat(2998)}…`);
  });
});

describe("headings", () => {
  it("become plain-text headers without markdown marks, mentions as @id", () => {
    expect(
      blocksOf({ type: "heading", text: `**Team** \`status\` for ${mentionToken("U1")}  \\*now\\*` }),
    ).toEqual([
      { type: "header", text: { type: "plain_text", text: "Team status for @U1 *now*", emoji: true } },
    ]);
  });

  it("are dropped when empty and cut at 150 characters", () => {
    expect(blocksOf({ type: "heading", text: " \n " })).toEqual([]);
    const [header] = blocksOf({ type: "heading", text: "h".repeat(151) }) as unknown as [
      { text: { text: string } },
    ];
    expect(header.text.text).toBe(`${"h".repeat(149)}…`);
    const [exact] = blocksOf({ type: "heading", text: "h".repeat(150) }) as unknown as [
      { text: { text: string } },
    ];
    expect(exact.text.text).toBe("h".repeat(150));
  });
});

describe("markdown, context and dividers", () => {
  it("renders markdown as mrkdwn sections and Slack mentions", () => {
    expect(
      blocksOf({ type: "markdown", text: `**Hi** ${mentionToken("U7")}, see [docs](https://e.example/d)` }),
    ).toEqual([section("*Hi* <@U7>, see <https://e.example/d|docs>")]);
    expect(blocksOf({ type: "markdown", text: `hi ${mentionToken("someone")}` })).toEqual([
      section("hi @someone"),
    ]);
    expect(blocksOf({ type: "markdown", text: "" })).toEqual([]);
  });

  it("renders context as one mrkdwn element, dropped when empty, cut at 2,000", () => {
    expect(blocksOf({ type: "context", text: "_note_ <b>" })).toEqual([
      { type: "context", elements: [{ type: "mrkdwn", text: "_note_ &lt;b&gt;" }] },
    ]);
    expect(blocksOf({ type: "context", text: "  " })).toEqual([]);
    const [ctx] = blocksOf({ type: "context", text: "c".repeat(2001) }) as unknown as [
      { elements: { text: string }[] },
    ];
    // Room is kept for closing a code block (4 characters) and the ellipsis.
    expect(ctx.elements[0]!.text).toBe(`${"c".repeat(1995)}…`);
  });

  it("keeps a divider only between content, never first or twice", () => {
    expect(
      blocksOf(
        { type: "divider" },
        { type: "markdown", text: "a" },
        { type: "divider" },
        { type: "divider" },
        { type: "markdown", text: "b" },
      ),
    ).toEqual([section("a"), { type: "divider" }, section("b")]);
  });

  it("renders nothing for a picture (shared as a file instead)", () => {
    expect(
      blocksOf({ type: "image", data: new Uint8Array([1]), mime: "image/png", alt: "a", title: "t" }),
    ).toEqual([]);
  });
});

describe("fields", () => {
  it("render as bold labels over mrkdwn values, a dash for an empty value, ten to a section", () => {
    const fields = Array.from({ length: 11 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    fields[0] = { label: "<@U1> **Score**", value: "" };
    const out = blocksOf({ type: "fields", fields }) as unknown as {
      type: string;
      fields: { text: string }[];
    }[];
    expect(out.map((b) => b.fields.length)).toEqual([10, 1]);
    expect(out[0]!.type).toBe("section");
    expect(out[0]!.fields[0]).toEqual({ type: "mrkdwn", text: "*&lt;@U1&gt; Score*\n–" });
    expect(out[0]!.fields[1]).toEqual({ type: "mrkdwn", text: "*L1*\nv1" });
    expect(out[1]!.fields[0]).toEqual({ type: "mrkdwn", text: "*L10*\nv10" });
    expect(blocksOf({ type: "fields", fields: [] })).toEqual([]);
  });

  it("cut a long value at 2,000 characters", () => {
    const [out] = blocksOf({
      type: "fields",
      fields: [{ label: "L", value: "v".repeat(3000) }],
    }) as unknown as {
      fields: { text: string }[];
    }[];
    expect(out!.fields[0]!.text).toBe(`*L*\n${"v".repeat(1991)}…`);
  });
});

describe("tables", () => {
  it("render as an aligned, escaped monospace block", () => {
    expect(
      blocksOf({
        type: "table",
        columns: ["Component", "Score", "Level"],
        rows: [
          ["Data <x>", "2.5", "2"],
          ["Deploy pipeline", "3"],
        ],
      }),
    ).toEqual([
      section("```\nComponent        Score  Level\nData &lt;x&gt;         2.5    2\nDeploy pipeline  3\n```"),
    ]);
  });

  it("cut a long cell at 40 characters and keep a header with no rows", () => {
    expect(blocksOf({ type: "table", columns: ["A", "B"], rows: [["a".repeat(41), "b"]] })).toEqual([
      section(`\`\`\`\nA${" ".repeat(39)}  B\n${"a".repeat(39)}…  b\n\`\`\``),
    ]);
    expect(blocksOf({ type: "table", columns: ["A", "B"], rows: [] })).toEqual([section("```\nA  B\n```")]);
  });

  it("keep a table of exactly 3,000 characters in one section", () => {
    // 40 rows and the header, 72 characters each, fences included: 7 + 41 x 73 = 3,000.
    const rows = Array.from({ length: 40 }, () => ["x".repeat(40), "y".repeat(30)]);
    const out = blocksOf({ type: "table", columns: ["H".repeat(40), "K".repeat(30)], rows }) as unknown as {
      text: { text: string };
    }[];
    expect(out.map((b) => b.text.text.length)).toEqual([3000]);
    rows.push(["z", "z"]);
    const split = blocksOf({ type: "table", columns: ["H".repeat(40), "K".repeat(30)], rows });
    expect(split).toHaveLength(2);
  });

  it("split by rows into sections of at most 3,000 characters, each with the header", () => {
    const rows = Array.from({ length: 300 }, (_, i) => [`row${String(i).padStart(3, "0")}`, "x".repeat(10)]);
    const out = blocksOf({ type: "table", columns: ["Name", "Value"], rows }) as unknown as {
      text: { text: string };
    }[];
    expect(out.length).toBe(2);
    const texts = out.map((b) => b.text.text);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(3000);
      expect(t.startsWith("```\nName    Value\n")).toBe(true);
      expect(t.endsWith("\n```")).toBe(true);
    }
    // Each line is "rowNNN  xxxxxxxxxx" (18 characters and a newline): 156 rows fit 3,000 with the header
    // and fences (21 + 19 x 156 = 2,985).
    expect(texts[0]!.split("\n").length - 3).toBe(156);
    expect(texts[0]).toContain("\nrow155  xxxxxxxxxx\n```");
    expect(texts[1]).toContain("```\nName    Value\nrow156  ");
    expect(texts[1]).toContain("\nrow299  xxxxxxxxxx\n```");
  });
});

describe("options (choices) and buttons", () => {
  const choice = (i: number, extra: Partial<Choice> = {}): Choice => ({
    id: `answer-${i}`,
    label: `Level ${i}`,
    value: { action: "answer", level: i },
    description: `**Option ${i}** <b>`,
    ...extra,
  });

  it("give each option a section with its description and its button beside it", () => {
    expect(
      blocksOf({
        type: "choices",
        choices: [choice(1, { note: "last *quarter*", style: "primary" }), choice(2, { description: "" })],
      }),
    ).toEqual([
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Option 1* &lt;b&gt;\n_last *quarter*_" },
        accessory: {
          type: "button",
          text: { type: "plain_text", text: "Level 1", emoji: true },
          action_id: "answer-1",
          value: '{"action":"answer","level":1}',
          style: "primary",
        },
      },
      {
        type: "section",
        text: { type: "mrkdwn", text: "Level 2" },
        accessory: {
          type: "button",
          text: { type: "plain_text", text: "Level 2", emoji: true },
          action_id: "answer-2",
          value: '{"action":"answer","level":2}',
        },
      },
    ]);
  });

  it("keep an option whose button value cannot fit, without the button", () => {
    expect(
      blocksOf({
        type: "choices",
        choices: [choice(1, { value: { action: "answer", q: "q".repeat(2000) } })],
      }),
    ).toEqual([section("*Option 1* &lt;b&gt;")]);
  });

  it("escape a label-only option and cut a long description at 3,000", () => {
    const [only] = blocksOf({
      type: "choices",
      choices: [choice(1, { description: " ", label: "<!here> & co" })],
    }) as unknown as { text: { text: string } }[];
    expect(only!.text.text).toBe("&lt;!here&gt; &amp; co");
    const [long] = blocksOf({
      type: "choices",
      choices: [choice(1, { description: "d".repeat(3001) })],
    }) as unknown as {
      text: { text: string };
    }[];
    expect(long!.text.text).toBe(`${"d".repeat(2995)}…`);
  });

  it("become one text and rows of buttons when a section per option would pass 50 blocks", () => {
    const many = Array.from({ length: 51 }, (_, i) =>
      choice(i, { description: `Desc ${i}\n\nmore`, note: i === 1 ? "your <answer>" : undefined }),
    );
    const out = blocksOf({ type: "choices", choices: many }) as unknown as {
      type: string;
      text?: { text: string };
      elements?: { action_id: string }[];
    }[];
    expect(out.map((b) => b.type)).toEqual(["section", "actions", "actions", "actions"]);
    const lines = out[0]!.text!.text.split("\n");
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe("*Level 0*: Desc 0 more");
    expect(lines[1]).toBe("*Level 1* _(your &lt;answer&gt;)_: Desc 1 more");
    expect(out.slice(1).map((b) => b.elements!.length)).toEqual([25, 25, 1]);
    expect(out[3]!.elements![0]!.action_id).toBe("answer-50");
  });

  it("stay a section per option at exactly 50 blocks", () => {
    const fifty = Array.from({ length: 50 }, (_, i) => choice(i));
    const out = blocksOf({ type: "choices", choices: fifty });
    expect(out).toHaveLength(50);
    expect(out.every((b) => b.type === "section" && "accessory" in b)).toBe(true);
  });

  it("put actions in rows of 25, labels plain and cut at 75, 'Open' for an empty label", () => {
    const buttons = Array.from({ length: 26 }, (_, i) => button(`b${i}`, `B${i}`));
    buttons[0] = { ...button("b0", `**Go** ${"g".repeat(80)}`), style: "danger" };
    buttons[1] = button("b1", "  ");
    const out = blocksOf({ type: "actions", buttons }) as unknown as {
      type: string;
      elements: { text: { text: string }; style?: string; action_id: string }[];
    }[];
    expect(out.map((b) => [b.type, b.elements.length])).toEqual([
      ["actions", 25],
      ["actions", 1],
    ]);
    expect(out[0]!.elements[0]!.text.text).toBe(`Go ${"g".repeat(71)}…`);
    expect(out[0]!.elements[0]!.style).toBe("danger");
    expect(out[0]!.elements[1]!.text.text).toBe("Open");
    expect(out[0]!.elements[1]).not.toHaveProperty("style");
    expect(out[1]!.elements[0]!.action_id).toBe("b25");
  });

  it("give repeated or empty ids unique action_ids within 255 characters", () => {
    const long = "i".repeat(300);
    const out = blocksOf({
      type: "actions",
      buttons: [
        button("same", "a"),
        button("same", "b"),
        button("same", "c"),
        button("", "d"),
        button("", "e"),
        button(long, "f"),
        button(long, "g"),
      ],
    }) as unknown as { elements: { action_id: string }[] }[];
    expect(out[0]!.elements.map((e) => e.action_id)).toEqual([
      "same",
      "same-2",
      "same-3",
      "button",
      "button-2",
      "i".repeat(255),
      `${"i".repeat(253)}-2`,
    ]);
  });

  it("drop a button whose value passes 2,000 characters, keep one at exactly 2,000", () => {
    const fits = { action: "x", q: "q".repeat(2000 - '{"action":"x","q":""}'.length) };
    expect(JSON.stringify(fits).length).toBe(2000);
    const out = blocksOf({
      type: "actions",
      buttons: [button("fits", "F", fits), button("over", "O", { ...fits, q: `${fits.q}q` })],
    }) as unknown as { elements: { action_id: string }[] }[];
    expect(out[0]!.elements.map((e) => e.action_id)).toEqual(["fits"]);
    expect(
      blocksOf({ type: "actions", buttons: [button("over", "O", { ...fits, q: `${fits.q}q` })] }),
    ).toEqual([]);
  });
});

describe("the block budget", () => {
  it("keeps exactly 50 blocks as they are", () => {
    const blocks = Array.from({ length: 50 }, (_, i): Block => ({ type: "markdown", text: `p${i}` }));
    expect(blocksOf(...blocks)).toEqual(blocks.map((_, i) => section(`p${i}`)));
  });

  it("cuts text past 50 blocks, keeps every button row, and says how much was cut", () => {
    const blocks: Block[] = [
      ...Array.from({ length: 60 }, (_, i): Block => ({ type: "markdown", text: `p${i}` })),
      { type: "actions", buttons: [button("go", "Go")] },
      { type: "markdown", text: "after" },
    ];
    const out = blocksOf(...blocks);
    expect(out).toHaveLength(50);
    expect(out.slice(0, 48)).toEqual(Array.from({ length: 48 }, (_, i) => section(`p${i}`)));
    expect(out[48]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Shortened to fit Slack: 13 more parts not shown." }],
    });
    expect(out[49]!.type).toBe("actions");
  });

  it("says 'part' for one", () => {
    const blocks = Array.from({ length: 51 }, (_, i): Block => ({ type: "markdown", text: `p${i}` }));
    const out = blocksOf(...blocks);
    expect(out.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Shortened to fit Slack: 2 more parts not shown." }],
    });
    // One part is cut only when button rows fill the rest: 49 rows stay, and the notice goes first.
    const rows = Array.from(
      { length: 50 },
      (_, i): Block => ({ type: "actions", buttons: [button(`b${i}`, "B")] }),
    );
    const one = blocksOf({ type: "markdown", text: "p0" }, ...rows);
    expect(one).toHaveLength(50);
    expect(one[0]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Shortened to fit Slack: 1 more part not shown." }],
    });
    expect(one.slice(1).every((b) => b.type === "actions")).toBe(true);
  });

  it("gives a view (App Home) 100 blocks", () => {
    const blocks = Array.from({ length: 101 }, (_, i): Block => ({ type: "markdown", text: `p${i}` }));
    expect(renderView(blocks.slice(0, 100))).toHaveLength(100);
    const out = renderView(blocks);
    expect(out).toHaveLength(100);
    expect(out[98]).toEqual(section("p98"));
    expect(out[99]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Shortened to fit Slack: 2 more parts not shown." }],
    });
  });
});

describe("cutting mrkdwn", () => {
  it("shortenMrkdwn leaves text within the limit and never cuts a link, an entity or a code block open", () => {
    expect(shortenMrkdwn("abc", 3)).toBe("abc");
    expect(shortenMrkdwn("abcd", 3)).not.toBe("abcd");
    expect(shortenMrkdwn(`${"a".repeat(10)} <https://e.example/long|link> tail`, 30)).toBe(
      `${"a".repeat(10)}…`,
    );
    expect(shortenMrkdwn(`${"a".repeat(20)}&amp; more text here`, 26)).toBe(`${"a".repeat(20)}…`);
    expect(shortenMrkdwn(`\`\`\`\n${"x".repeat(40)}\n\`\`\``, 30)).toBe(`\`\`\`\n${"x".repeat(21)}\n\`\`\`…`);
  });

  it("shortenMrkdwn steps back over a whole link or entity, up to the longest entity", () => {
    expect(shortenMrkdwn("<https://e.example/x|a link> and more", 10)).toBe("…");
    // "&abcdefg;" is nine characters: the cut just before its ";" steps back to the "&".
    expect(shortenMrkdwn("xx&abcdefg; tail text", 15)).toBe("xx…");
    // An "&" whose ";" is further than an entity can be is no entity: the cut stays.
    expect(shortenMrkdwn("xx&abcdefgh; tail text", 15)).toBe("xx&abcdefg…");
    expect(shortenMrkdwn(`${"a".repeat(20)}& bbbbbbbbbbbbbb; tail`, 26)).toBe(`${"a".repeat(20)}&…`);
  });

  it("splitMrkdwn drops the white space at a cut and keeps the rest's inner spaces", () => {
    expect(splitMrkdwn(`${"a".repeat(15)}    \n\n  ${"b".repeat(20)}`, 30)).toEqual([
      "a".repeat(15),
      "b".repeat(20),
    ]);
    expect(splitMrkdwn(`${"c".repeat(30)} dd`, 30)).toEqual(["c".repeat(22), "cccccccc dd"]);
  });

  it("splitMrkdwn cuts a link longer than a piece where it must, rather than loop", () => {
    expect(splitMrkdwn(`<${"a".repeat(40)}>`, 30)).toEqual([`<${"a".repeat(21)}`, `${"a".repeat(19)}>`]);
  });

  it("splitMrkdwn prefers line breaks, then spaces, and reopens a cut code block", () => {
    expect(splitMrkdwn("  short  ", 20)).toEqual(["short"]);
    expect(splitMrkdwn(`${"a".repeat(20)}\n${"b".repeat(20)}`, 30)).toEqual(["a".repeat(20), "b".repeat(20)]);
    expect(splitMrkdwn(`${"a".repeat(15)} ${"b".repeat(20)}`, 30)).toEqual(["a".repeat(15), "b".repeat(20)]);
    expect(splitMrkdwn("c".repeat(45), 30)).toEqual(["c".repeat(22), "c".repeat(23)]);
    expect(splitMrkdwn(`\`\`\`\n${"x".repeat(10)}\n${"y".repeat(10)}\n\`\`\``, 25)).toEqual([
      `\`\`\`\n${"x".repeat(10)}\n\`\`\``,
      `\`\`\`\n${"y".repeat(10)}\n\`\`\``,
    ]);
  });
});
