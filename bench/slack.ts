import { BOT_TOKEN, SIGNING_SECRET } from "../test/support/fake-slack.js";
import { benchChat } from "./chat-load.js";
import { LeanSlack } from "./lean-slack.js";
import type { BenchRow } from "./table.js";

/** The Slack path under load, beside a bare Bolt app (same version and receiver, a listener that only acks). */
export function benchSlack(): Promise<BenchRow[]> {
  return benchChat({
    platform: "slack",
    server: "slack-server.mjs",
    args: [SIGNING_SECRET, BOT_TOKEN],
    baseline: "bare Bolt",
    unit: "click",
    fake: async () => {
      const fake = await LeanSlack.start();
      return { url: fake.apiUrl, close: () => fake.close() };
    },
  });
}
