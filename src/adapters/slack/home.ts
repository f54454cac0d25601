import { homeBlocks } from "../../core/conversation/home.js";
import type { SlackApi } from "./api.js";
import type { SlackDeps } from "./deps.js";
import { renderView } from "./render/blocks.js";

/** Publishes a user's App Home: their teams, levels, progress and next steps (views.publish). */
export async function publishHome(
  deps: Pick<SlackDeps, "engine">,
  api: SlackApi,
  userId: string,
): Promise<void> {
  const blocks = await homeBlocks(deps.engine.deps, {
    kind: "member",
    platform: "slack",
    tenant: api.tenant,
    userId,
  });
  await api.call("views.publish", { user_id: userId, view: { type: "home", blocks: renderView(blocks) } });
}
