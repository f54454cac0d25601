import type { TurnContext } from "botbuilder";
import type { Reply } from "../../core/reply.js";
import type { Logger } from "../../observability/logger.js";
import { type Destination, type TeamsConversations, toActivity } from "./conversations.js";
import type { Where } from "./normalise.js";
import { classify } from "./notifier.js";
import { type Names, renderMessages, type TeamsMessage } from "./render/card.js";

/**
 * Sends the engine's replies, in order, where the reply model says:
 * - `to: origin` -> this conversation (a channel thread stays in its thread); `replace` updates the
 *   clicked card in place (updateActivity), falling back to a new message when Teams refuses;
 * - `private` in a channel -> Teams has no ephemeral messages, so it goes to the user's personal chat
 *   with the bot; when that cannot be reached, a short note in the channel says so (never the content);
 * - `to: dm` -> the user's personal chat (this one when the turn is there, else through its reference);
 * - `to: channel` -> that channel (this conversation when it is the same channel, else its reference).
 */
export class TeamsDeliverer {
  constructor(
    private readonly conversations: TeamsConversations,
    private readonly logger: Logger,
  ) {}

  async deliver(context: TurnContext, where: Where, user: string, replies: Reply[], names: Names) {
    for (const reply of replies) {
      const messages = renderMessages(reply, names);
      const to = reply.to;
      const here =
        to.kind === "origin"
          ? !(reply.private && where.kind === "channel")
          : to.kind === "dm"
            ? where.kind === "dm" && to.user === user
            : where.kind === "channel" && to.channel === where.conversationId;
      if (here) {
        await this.here(context, reply, messages);
        continue;
      }
      const target: Destination =
        to.kind === "channel"
          ? { kind: "channel", channel: to.channel }
          : { kind: "dm", user: to.kind === "dm" ? to.user : user };
      try {
        await this.conversations.send(where.tenant, target, messages);
      } catch (error) {
        const coded = classify(error);
        this.logger.warn("Teams reply could not be delivered", {
          tenant: where.tenant,
          to: target.kind,
          reason: coded.reason,
        });
        await context
          .sendActivity(
            target.kind === "dm"
              ? "I couldn't send you a personal message. Open a chat with me (find maturity-bot under Apps), then try again."
              : "I couldn't post in that channel. Add me to its team, then try again.",
          )
          .catch(() => undefined);
      }
    }
  }

  private async here(context: TurnContext, reply: Reply, messages: TeamsMessage[]) {
    const clicked = context.activity.replyToId;
    const [first, ...rest] = messages;
    if (reply.replace && clicked && first?.card) {
      try {
        await context.updateActivity({ ...toActivity(first), id: clicked });
        for (const m of rest) await context.sendActivity(toActivity(m));
        return;
      } catch (error) {
        this.logger.debug("Teams refused to update a card; sending a new one", { error });
      }
    }
    for (const m of messages) await context.sendActivity(toActivity(m));
  }
}
