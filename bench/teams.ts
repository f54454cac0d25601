import { benchChat } from "./chat-load.js";
import { LeanConnector } from "./lean-connector.js";
import type { BenchRow } from "./table.js";

/** Teams card submits through the CloudAdapter, beside a bare CloudAdapter echo bot. */
export function benchTeams(): Promise<BenchRow[]> {
  return benchChat({
    platform: "teams",
    server: "teams-server.mjs",
    args: [],
    baseline: "echo bot",
    unit: "card submit",
    fake: async () => {
      const fake = await LeanConnector.start();
      return { url: fake.url, close: () => fake.close() };
    },
  });
}
