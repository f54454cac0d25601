import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp, TestClock } from "../support/app.js";
import { waitFor } from "../support/processes.js";

/** The playground with its workers: what the bot sends first reaches the page's inbox, the chart inline. */

let app: RunningApp;

beforeAll(async () => {
  app = await startApp("playground-inbox", { PLAYGROUND: "on" }, { workers: true, clock: new TestClock() });
});
afterAll(async () => {
  await app?.stop();
});

async function say(user: string, channel: string, name: string, args = "") {
  const res = await fetch(`${app.url}/playground/api/event`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, channel, type: "command", name, args }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { replies: { text: string }[] };
}

type Item = { pane: string; text: string; blocks: { type: string; src?: string; alt?: string }[] };
async function inbox(after: number): Promise<{ items: Item[]; next: number }> {
  return (await (await fetch(`${app.url}/playground/api/inbox?after=${after}`)).json()) as {
    items: Item[];
    next: number;
  };
}

describe("the playground's inbox", () => {
  it("shows the nudges of a round, one per member, and the digest with its chart inline", async () => {
    const start = (await (await fetch(`${app.url}/playground/api/inbox`)).json()) as { next: number };
    await say("U-lead", "C-data-science", "setup");
    const [opened] = (await say("U-lead", "C-data-science", "round", "start")).replies;
    expect(opened!.text).toContain("Opened");
    const members = ["U-scientist", "U-lead", "U-analyst", "U-sre"];
    await waitFor("4 nudges", async () => (await inbox(start.next)).items.length >= 4, 15_000);
    const { items } = await inbox(start.next);
    for (const m of members) {
      expect(
        items.filter((i) => i.pane === `dm:${m}` && /check-in is open/.test(i.text)),
        m,
      ).toHaveLength(1);
    }

    await say("U-lead", "C-data-science", "digest", "here");
    const mark = (await inbox(start.next)).next;
    await say("U-lead", "C-data-science", "digest", "now");
    await waitFor("the digest and its chart", async () => (await inbox(mark)).items.length >= 2, 20_000);
    const digest = (await inbox(mark)).items;
    expect(digest[0]!.pane).toBe("channel:C-data-science");
    expect(digest[0]!.text).toMatch(/digest/i);
    const chart = digest.flatMap((i) => i.blocks).find((b) => b.type === "image")!;
    expect(chart.src).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(chart.alt).toMatch(/Levels per team/);
  });
});
