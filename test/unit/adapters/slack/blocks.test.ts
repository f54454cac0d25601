import { readdirSync, readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fallbackText,
  LIMITS,
  renderMessage,
  renderView,
  splitMrkdwn,
} from "../../../../src/adapters/slack/render/blocks.js";
import type { ChatEventInput } from "../../../../src/core/conversation/events.js";
import { homeBlocks } from "../../../../src/core/conversation/home.js";
import { type Block, type Choice, mentionToken, type Reply } from "../../../../src/core/reply.js";
import { blockKitProblems, buttonsOf, messageProblems } from "../../../support/block-kit.js";
import {
  answerAll,
  button,
  channelDirectory,
  choices,
  click,
  command,
  engineHarness,
  event,
  type Harness,
  message,
  TENANT,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/**
 * Renders every reply the engine can produce (driven for real: knowledge base, question bank, Redis) and
 * checks each against Block Kit's limits, plus synthetic extremes no engine reply reaches today.
 */

let redis: Redis;
let prefix: string;
let h: Harness;
const produced: { label: string; reply: Reply }[] = [];
const homes: { label: string; blocks: Block[] }[] = [];

const TEAM = "CTEAM";
const members = { [TEAM]: ["U1", "U2", "U3", "U4"], COTHER: ["U1", "U5"] };
const dir = { directory: channelDirectory(members) };

async function run(label: string, input: Parameters<Harness["engine"]["handle"]>[0]): Promise<Reply[]> {
  const replies = await h.send(input, dir);
  replies.forEach((reply, i) => {
    produced.push({ label: `${label}#${i}`, reply });
  });
  return replies;
}

const slack = (input: ReturnType<typeof command>) => ({ ...input, platform: "slack" as const });
const questionOf = (replies: Reply[]) => replies.find((r) => choices(r).length > 0)!;

beforeAll(async () => {
  redis = connect();
  prefix = testPrefix("slack-blocks");
  h = await engineHarness(redis, prefix);

  // help, unknown, setup (new, again, in a DM, not in channel)
  await run("help", slack(command("U1", { channel: TEAM }, "")));
  await run("help-word", slack(command("U1", { channel: TEAM }, "help")));
  await run("unknown", slack(command("U1", { channel: TEAM }, "teleport", "now")));
  await run("setup-dm", slack(command("U1", { dm: true }, "setup")));
  await run("setup-not-in-channel", slack(command("U1", { channel: "CNOPE" }, "setup")));
  await run("setup", slack(command("U1", { channel: TEAM }, "setup")));
  await run("setup-again", slack(command("U2", { channel: TEAM }, "setup")));
  await run("setup-other", slack(command("U1", { channel: "COTHER" }, "setup")));
  await run("lead", slack(command("U1", { channel: TEAM }, "lead", "<@U2>")));
  await run("lead-not-member", slack(command("U1", { channel: TEAM }, "lead", "<@U9>")));
  await run("status-empty", slack(command("U1", { channel: TEAM }, "status")));
  await run("roadmap-no-level", slack(command("U1", { channel: TEAM }, "roadmap")));
  for (const level of [1, 2, 3, 4, 5])
    await run(`roadmap-${level}`, slack(command("U1", { channel: TEAM }, "roadmap", String(level))));
  await run("roadmap-bad", slack(command("U1", { channel: TEAM }, "roadmap", "eleven")));
  await run("ask-empty", slack(command("U1", { channel: TEAM }, "ask")));
  await run("assess-picker", slack(command("U1", { dm: true }, "assess")));

  // Last quarter (2026-Q3): three members complete, so this quarter has hints and history.
  h.clock.set("2026-08-20T10:00:00Z");
  for (const [user, levels] of [
    ["U2", [2, 3]],
    ["U3", [3, 3, 4]],
    ["U4", [1, 2]],
  ] as const) {
    const first = questionOf(
      await run(`q3-assess-${user}`, slack(command(user, { channel: TEAM }, "assess"))),
    );
    produced.push({ label: `q3-${user}-result`, reply: await answerAll(h, user, first, [...levels]) });
  }
  h.clock.set("2026-11-20T10:00:00Z");

  // This quarter: U2 answers question by question (with last-quarter hints), back, skip, keep.
  let current = questionOf(await run("assess-U2", slack(command("U2", { channel: TEAM }, "assess"))));
  for (let i = 0; i < 20 && choices(current).length > 0; i++) {
    const label = i === 1 ? /^Keep Level/ : i === 2 ? "Skip" : "Level 2";
    const [next] = await run(`U2-q${i + 1}`, click("U2", button(current, label)));
    if (i === 3) {
      const [back] = await run("U2-back", click("U2", button(next!, "Back")));
      current = back!;
      continue;
    }
    current = next!;
  }
  produced.push({ label: "U2-result", reply: current });
  await run("U2-results-button", click("U2", button(current, "See the roadmap")));
  await run("U2-status-button", click("U2", button(current, "Team status")));
  await run("U2-assess-again", slack(command("U2", { channel: TEAM }, "assess")));

  // U1 (no history) answers everything: questions without hints; a quick assessment for U3; U4 skips all.
  const u1 = questionOf(await run("assess-U1", slack(command("U1", { channel: TEAM }, "assess"))));
  const stale = u1;
  let u1now = u1;
  for (let i = 0; i < 20 && choices(u1now).length > 0; i++) {
    const [next] = await run(`U1-q${i + 1}`, click("U1", button(u1now, `Level ${(i % 5) + 1}`)));
    u1now = next!;
  }
  await run("stale-answer", click("U1", button(stale, "Level 3")));
  await run("double-click", click("U1", button(stale, "Level 3")));
  await run(
    "bad-value",
    event("U1", { dm: true }, { type: "action", actionId: "answer-3", value: undefined }),
  );
  await run(
    "old-round",
    click("U1", { ...button(stale, "Level 3"), value: { ...button(stale, "Level 3").value, r: "2025-Q1" } }),
  );
  await run(
    "unknown-action",
    event("U1", { dm: true }, { type: "action", actionId: "zzz", value: { action: "zzz" } }),
  );
  await run("assess-quick-U3", slack(command("U3", { channel: TEAM }, "assess", "quick")));
  const u4 = questionOf(await run("assess-U4", slack(command("U4", { channel: TEAM }, "assess"))));
  let u4now = u4;
  for (let i = 0; i < 20 && choices(u4now).length > 0; i++) {
    const [next] = await run(`U4-skip${i + 1}`, click("U4", button(u4now, "Skip")));
    u4now = next!;
  }

  // Status: visible in the channel and in a DM; not visible for the other team.
  await run("status-visible", slack(command("U1", { channel: TEAM }, "status")));
  await run("status-dm", slack(command("U2", { dm: true }, "status")));
  await run("status-not-visible", slack(command("U5", { channel: "COTHER" }, "status")));
  await run("roadmap-team", slack(command("U2", { channel: TEAM }, "roadmap")));

  // Knowledge answers: every question of the fixtures, as a command, a DM and an @mention.
  const dirPath = new URL("../../../fixtures/questions/", import.meta.url);
  for (const file of readdirSync(dirPath).filter((f) => f.endsWith(".json"))) {
    const questions = JSON.parse(readFileSync(new URL(file, dirPath), "utf8")) as { question: string }[];
    for (const [i, q] of questions.entries()) {
      await run(`ask-${file}-${i}`, slack(command("U2", { channel: TEAM }, "ask", q.question)));
    }
  }
  await run("dm-question", {
    ...slack(message("U2", { dm: true }, "our models keep degrading, what do we do?")),
  });
  await run("mention", {
    ...slack(message("U2", { channel: TEAM }, "what does level 3 mean?")),
    mention: true,
    inThread: true,
  } as ChatEventInput);
  await run("mention-hello", {
    ...slack(message("U2", { channel: TEAM }, "hello")),
    mention: true,
  } as ChatEventInput);
  await run(
    "unknown-question",
    slack(command("U2", { channel: TEAM }, "ask", "what is the airspeed of a swallow")),
  );
  await run("members-joined", {
    ...slack(command("U6", { channel: TEAM }, "")),
    type: "members",
    change: "joined",
    members: ["U6"],
  });

  for (const user of ["U1", "U2", "U5", "U9"]) {
    homes.push({
      label: `home-${user}`,
      blocks: await homeBlocks(h.engine.deps, {
        kind: "member",
        platform: "slack",
        tenant: TENANT,
        userId: user,
      }),
    });
  }
}, 120_000);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

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
    expect(
      produced
        .filter((p) => p.label.startsWith("stale") || p.label === "double-click")
        .every((p) => p.reply.private),
    ).toBe(true);
    expect(produced.filter((p) => /^U[12]-q\d/.test(p.label)).length).toBeGreaterThanOrEqual(14);
  });

  it("keeps every message within Block Kit's limits", () => {
    const problems = produced.flatMap(({ label, reply }) =>
      messageProblems(renderMessage(reply)).map((p) => `${label}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it("keeps App Home within a view's limits", () => {
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
    expect(msg.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  it("falls back to compact choices when a section per option would not fit", () => {
    const many: Choice[] = Array.from({ length: 60 }, (_, i) => ({
      id: `answer-${i}`,
      label: `Level ${i}`,
      value: { action: "answer", level: (i % 5) + 1, q: "q1", t: TEAM, r: "2026-Q4" },
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
