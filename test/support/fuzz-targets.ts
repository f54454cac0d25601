import fc from "fast-check";
import { compileKnowledge } from "../../src/core/knowledge/compile.js";
import { LEAD, say, submit } from "../e2e/teams/activities.js";
import type { RunningApp } from "./app.js";
import { TestClock } from "./clock.js";
import { FakeConnector } from "./fake-connector.js";
import { FakeSlack, findButton, type SlackSender, startSlackApp } from "./fake-slack.js";
import { mutationOf } from "./fuzz.js";
import { snapshotPrefix } from "./redis.js";

/**
 * The app (Slack and Teams served) with a team and an assessment in progress, and properties that throw
 * mutated real payloads at it. Shared by the tests (few runs, fixed seed) and `npm run bench -- fuzz`.
 */
export interface FuzzTargets {
  app: RunningApp;
  slack: SlackSender;
  fake: FakeSlack;
  connector: FakeConnector;
  /** The stored state that matters: delivery markers and Teams' address book left out (they record traffic). */
  state(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFuzzTargets(name: string): Promise<FuzzTargets> {
  const fake = await FakeSlack.start();
  const connector = await FakeConnector.start();
  fake.channels.set("CFUZZ", ["ULEAD", "UMEMBER", "UBOT"]);
  const { app, slack } = await startSlackApp(name, fake, { clock: new TestClock() });
  await slack.command("ULEAD", "CFUZZ", "setup", { channelName: "fuzz" });
  await slack.command("ULEAD", "DULEAD", "assess");
  await app.slack?.idle();
  await fake.waitFor(() => /^Question 1\//.test(fake.lastMessageIn("DULEAD")?.text ?? ""));
  return {
    app,
    slack,
    fake,
    connector,
    async state() {
      const all = await snapshotPrefix(app.redis, app.prefix);
      return Object.fromEntries(
        Object.entries(all).filter(([key]) => !/:delivery:|:teams:|:ref:|:names|:endpoint/.test(key)),
      );
    },
    async close() {
      await app.stop();
      await fake.close();
      await connector.close();
    },
  };
}

const FORM = "application/x-www-form-urlencoded";

/** Real Slack payloads that change nothing when they are valid: a help command, a question, an outsider's click. */
function slackPayloads(t: FuzzTargets) {
  const question = t.fake.lastMessageIn("DULEAD")!;
  const button = findButton(question.blocks, /^answer/);
  const command = {
    command: "/maturity",
    text: "help",
    team_id: "T1",
    channel_id: "CFUZZ",
    user_id: "UMEMBER",
    response_url: t.fake.responseUrl(),
    trigger_id: "t1",
  };
  const event = {
    type: "event_callback",
    team_id: "T1",
    event_id: "EvFUZZ",
    event: {
      type: "message",
      channel_type: "im",
      channel: "DUMEMBER",
      user: "UMEMBER",
      text: "what is level 3?",
      ts: "1.1",
    },
  };
  const click = {
    type: "block_actions",
    user: { id: "UOUTSIDER", team_id: "T1" },
    team: { id: "T1" },
    container: { type: "message", message_ts: question.ts, channel_id: "DULEAD" },
    channel: { id: "DULEAD" },
    trigger_id: "t2",
    response_url: t.fake.responseUrl(),
    actions: [{ type: "button", action_id: button.action_id, value: button.value, action_ts: "1.2" }],
  };
  return fc.oneof(
    mutationOf(command).map((p) => ({
      body: new URLSearchParams(
        Object.entries(p as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === "string" ? v : JSON.stringify(v),
        ]),
      ).toString(),
      type: FORM,
    })),
    mutationOf(event).map((p) => ({ body: JSON.stringify(p), type: "application/json" })),
    mutationOf(click).map((p) => ({
      body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(),
      type: FORM,
    })),
  );
}

function teamsPayloads(t: FuzzTargets) {
  return fc.oneof(
    mutationOf(say(t.connector, LEAD, "help")),
    mutationOf(submit(t.connector, LEAD, { action: "answer", level: 3, t: "CFUZZ" }, "1700000000999")),
  );
}

export interface FuzzRun {
  target: string;
  runs: number;
  statuses: Record<string, number>;
  heapGrowthMb: number;
}

async function run(
  target: string,
  payloads: fc.Arbitrary<{ send: () => Promise<number> }>,
  runs: number,
  seed: number,
): Promise<FuzzRun> {
  const statuses: Record<string, number> = {};
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  await fc.assert(
    fc.asyncProperty(payloads, async ({ send }) => {
      const status = await send();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500 || status === 0) throw new Error(`answered ${status}`);
    }),
    { seed, numRuns: runs },
  );
  globalThis.gc?.();
  return { target, runs, statuses, heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

export function fuzzSlack(t: FuzzTargets, runs: number, seed: number): Promise<FuzzRun> {
  const sends = slackPayloads(t).map(({ body, type }) => ({
    send: async () => (await t.slack.post(body, type)).status,
  }));
  return run("slack", sends, runs, seed);
}

export function fuzzTeams(t: FuzzTargets, runs: number, seed: number): Promise<FuzzRun> {
  const sends = teamsPayloads(t).map((activity) => ({
    send: async () =>
      (
        await fetch(`${t.app.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(activity),
        })
      ).status,
  }));
  return run("teams", sends, runs, seed);
}

/** Knowledge pages made from a real one: front matter and body mutated line by line. */
const PAGE = `---
id: fuzz-page
title: Fuzz page
kind: topic
source: tech-ops
---

# Fuzz page

Intro with a [link](https://example.com/x).

## What it covers

- one
- two
`;

export function fuzzCompiler(runs: number, seed: number): { runs: number; issues: number } {
  const lines = PAGE.split("\n");
  const pages = fc
    .array(
      fc.record({
        at: fc.nat({ max: lines.length - 1 }),
        with: fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom(
            "---",
            "id: __proto__",
            "kind: level",
            "<script>x</script>",
            "[a](javascript:x)",
            "<!channel>",
            "\u0000",
            "&a *a [*a, *a]",
          ),
          fc.constant("x".repeat(300_000)),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      const copy = [...lines];
      for (const e of edits) copy[e.at] = e.with;
      return copy.join("\n");
    });
  let issues = 0;
  fc.assert(
    fc.property(pages, (content) => {
      const { kb, issues: found } = compileKnowledge([{ file: "knowledge/fuzz/page.md", content }]);
      issues += found.length;
      const text = JSON.stringify(kb.pages.map((p) => p.sections.map((s) => s.markdown)));
      if (/javascript:|<!channel>|<script/i.test(text)) throw new Error("hostile content kept");
      if (({} as Record<string, unknown>).polluted !== undefined) throw new Error("prototype polluted");
    }),
    { seed, numRuns: runs },
  );
  return { runs, issues };
}
