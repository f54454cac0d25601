import { readdirSync, readFileSync } from "node:fs";
import type { ChatEventInput } from "../../src/core/conversation/events.js";
import { homeBlocks } from "../../src/core/conversation/home.js";
import type { Block, Reply } from "../../src/core/reply.js";
import {
  answerAll,
  button,
  channelDirectory,
  choices,
  click,
  command,
  event,
  type Harness,
  message,
  TENANT,
} from "./engine.js";

/**
 * Drives the engine through every kind of reply it can produce (help, setup, lead, status, roadmaps,
 * assessments with last quarter's hints, back, skip, stale and double clicks, every knowledge question
 * of the fixtures) for one platform, so that each renderer can be checked on all of them.
 */
export interface EveryReply {
  produced: { label: string; reply: Reply }[];
  homes: { label: string; blocks: Block[] }[];
}

export async function everyReply(h: Harness, platform: "slack" | "teams"): Promise<EveryReply> {
  const produced: { label: string; reply: Reply }[] = [];
  const homes: { label: string; blocks: Block[] }[] = [];
  const on = (input: ReturnType<typeof command>) => ({ ...input, platform });
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

  const questionOf = (replies: Reply[]) => replies.find((r) => choices(r).length > 0)!;

  // help, unknown, setup (new, again, in a DM, not in channel)
  await run("help", on(command("U1", { channel: TEAM }, "")));
  await run("help-word", on(command("U1", { channel: TEAM }, "help")));
  await run("unknown", on(command("U1", { channel: TEAM }, "teleport", "now")));
  await run("setup-dm", on(command("U1", { dm: true }, "setup")));
  await run("setup-not-in-channel", on(command("U1", { channel: "CNOPE" }, "setup")));
  await run("setup", on(command("U1", { channel: TEAM }, "setup")));
  await run("setup-again", on(command("U2", { channel: TEAM }, "setup")));
  await run("setup-other", on(command("U1", { channel: "COTHER" }, "setup")));
  await run("lead", on(command("U1", { channel: TEAM }, "lead", "<@U2>")));
  await run("lead-not-member", on(command("U1", { channel: TEAM }, "lead", "<@U9>")));
  await run("status-empty", on(command("U1", { channel: TEAM }, "status")));
  await run("roadmap-no-level", on(command("U1", { channel: TEAM }, "roadmap")));
  for (const level of [1, 2, 3, 4, 5])
    await run(`roadmap-${level}`, on(command("U1", { channel: TEAM }, "roadmap", String(level))));
  await run("roadmap-bad", on(command("U1", { channel: TEAM }, "roadmap", "eleven")));
  await run("ask-empty", on(command("U1", { channel: TEAM }, "ask")));
  await run("assess-picker", on(command("U1", { dm: true }, "assess")));

  // Last quarter (2026-Q3): three members complete, so this quarter has hints and history.
  h.clock.set("2026-08-20T10:00:00Z");
  for (const [user, levels] of [
    ["U2", [2, 3]],
    ["U3", [3, 3, 4]],
    ["U4", [1, 2]],
  ] as const) {
    const first = questionOf(await run(`q3-assess-${user}`, on(command(user, { channel: TEAM }, "assess"))));
    produced.push({ label: `q3-${user}-result`, reply: await answerAll(h, user, first, [...levels]) });
  }
  h.clock.set("2026-11-20T10:00:00Z");

  // This quarter: U2 answers question by question (with last-quarter hints), back, skip, keep.
  let current = questionOf(await run("assess-U2", on(command("U2", { channel: TEAM }, "assess"))));
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
  await run("U2-assess-again", on(command("U2", { channel: TEAM }, "assess")));

  // U1 (no history) answers everything: questions without hints; U3 a quick assessment; U4 skips all (no respondent).
  const u1 = questionOf(await run("assess-U1", on(command("U1", { channel: TEAM }, "assess"))));
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
  const u3 = questionOf(
    await run("assess-quick-U3", on(command("U3", { channel: TEAM }, "assess", "quick"))),
  );
  produced.push({ label: "U3-quick-result", reply: await answerAll(h, "U3", u3, [4, 3]) });
  const u4 = questionOf(await run("assess-U4", on(command("U4", { channel: TEAM }, "assess"))));
  let u4now = u4;
  for (let i = 0; i < 20 && choices(u4now).length > 0; i++) {
    const [next] = await run(`U4-skip${i + 1}`, click("U4", button(u4now, "Skip")));
    u4now = next!;
  }

  // Status: visible in the channel and in a DM; not visible for the other team.
  await run("status-visible", on(command("U1", { channel: TEAM }, "status")));
  await run("status-dm", on(command("U2", { dm: true }, "status")));
  await run("status-not-visible", on(command("U5", { channel: "COTHER" }, "status")));
  await run("roadmap-team", on(command("U2", { channel: TEAM }, "roadmap")));

  // Knowledge answers: every question of the fixtures, as a command, a DM and an @mention.
  const dirPath = new URL("../fixtures/questions/", import.meta.url);
  for (const file of readdirSync(dirPath).filter((f) => f.endsWith(".json"))) {
    const questions = JSON.parse(readFileSync(new URL(file, dirPath), "utf8")) as { question: string }[];
    for (const [i, q] of questions.entries()) {
      await run(`ask-${file}-${i}`, on(command("U2", { channel: TEAM }, "ask", q.question)));
    }
  }
  await run("dm-question", {
    ...on(message("U2", { dm: true }, "our models keep degrading, what do we do?")),
  });
  await run("mention", {
    ...on(message("U2", { channel: TEAM }, "what does level 3 mean?")),
    mention: true,
    inThread: true,
  } as ChatEventInput);
  await run("mention-hello", {
    ...on(message("U2", { channel: TEAM }, "hello")),
    mention: true,
  } as ChatEventInput);
  await run(
    "unknown-question",
    on(command("U2", { channel: TEAM }, "ask", "what is the airspeed of a swallow")),
  );
  await run("members-joined", {
    ...on(command("U6", { channel: TEAM }, "")),
    type: "members",
    change: "joined",
    members: ["U6"],
  });

  for (const user of ["U1", "U2", "U5", "U9"]) {
    homes.push({
      label: `home-${user}`,
      blocks: await homeBlocks(h.engine.deps, {
        kind: "member",
        platform,
        tenant: TENANT,
        userId: user,
      }),
    });
  }
  return { produced, homes };
}
