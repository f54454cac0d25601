import type { App } from "@slack/bolt";
import { SlackApi } from "../api.js";
import type { SlackDeps } from "../deps.js";
import { publishHome } from "../home.js";

/** App Home's Home tab opened: publish the viewer's teams, levels, progress and next steps. */
export function register(app: App, deps: SlackDeps): void {
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const api = new SlackApi(client, body.team_id, deps.logger, deps.metrics);
    deps.work.run("app_home_opened", () => publishHome(deps, api, event.user));
  });
}
