import { FakeSlack, findButton, startSlackApp } from "../test/support/fake-slack.js";
import { type BenchRow, percentile } from "./table.js";

/**
 * Slack's 3-second rule, measured: signed slash commands and button clicks sent over HTTP to the real
 * app (Bolt, engine, Redis) with a fake Web API on 127.0.0.1; the time until Slack would get its 200.
 */
export async function benchSlack(): Promise<BenchRow[]> {
  const fake = await FakeSlack.start();
  const users = Array.from({ length: 40 }, (_, i) => `UB${i}`);
  fake.channels.set("CBENCH", ["UBOT", ...users]);
  const { app, slack } = await startSlackApp("bench-slack", fake);
  try {
    await slack.command(users[0]!, "CBENCH", "setup");
    const commandAcks: number[] = [];
    const clickAcks: number[] = [];
    for (const user of users) {
      commandAcks.push((await slack.command(user, "CBENCH", "assess")).ms);
      await app.slack?.idle();
      for (let q = 0; q < 8; q++) {
        const message = fake.lastMessageIn(`D${user}`)!;
        const button = findButton(message.blocks, (b) => b.text?.text === `Level ${(q % 5) + 1}`);
        clickAcks.push((await slack.click(user, message, button)).ms);
        await app.slack?.idle();
      }
    }
    const statusAcks: number[] = [];
    for (let i = 0; i < 40; i++)
      statusAcks.push((await slack.command(users[i % users.length]!, "CBENCH", "status")).ms);
    const all = [...commandAcks, ...clickAcks, ...statusAcks].sort((a, b) => a - b);
    clickAcks.sort((a, b) => a - b);
    commandAcks.sort((a, b) => a - b);
    return [
      {
        name: `slash command ack p50 (${commandAcks.length} assess)`,
        value: percentile(commandAcks, 50),
        unit: "ms",
      },
      {
        name: `button click ack p50 (${clickAcks.length} clicks)`,
        value: percentile(clickAcks, 50),
        unit: "ms",
      },
      { name: `button click ack p99`, value: percentile(clickAcks, 99), unit: "ms" },
      {
        name: `any request ack max (${all.length} requests)`,
        value: all.at(-1) ?? 0,
        unit: "ms",
        target: "< 3000 ms",
        ok: (all.at(-1) ?? 0) < 3000,
      },
      { name: "Web API calls made", value: fake.calls.length, unit: "calls" },
    ];
  } finally {
    await app.stop();
    await fake.close();
  }
}
