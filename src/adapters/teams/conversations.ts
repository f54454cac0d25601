import { type Activity, type CloudAdapter, type ConversationReference, TurnContext } from "botbuilder";
import { NotifyError } from "../../core/notify.js";
import type { TeamsReferences } from "./references.js";
import { ADAPTIVE_CARD, type TeamsMessage } from "./render/card.js";

/** The Bot Connector audience of the public cloud (the token scope for calls to Teams). */
const CONNECTOR_AUDIENCE = "https://api.botframework.com";

export type Destination = { kind: "dm"; user: string } | { kind: "channel"; channel: string };

/** A rendered message as a Bot Framework activity: a card, or a picture. */
export function toActivity(message: TeamsMessage): Partial<Activity> {
  if (message.card) {
    return {
      type: "message",
      summary: message.summary,
      attachments: [{ contentType: ADAPTIVE_CARD, content: message.card }],
    };
  }
  return { type: "message", summary: message.summary, attachments: message.image ? [message.image] : [] };
}

/**
 * Speaking first in Teams: messages to a member's personal chat or to a channel through the stored
 * conversation reference (continueConversationAsync); a member without a personal chat gets one
 * (createConversationAsync), whose reference is stored for next time. Sends are paced within Teams'
 * limits: about 7 messages a second per conversation and 30 a second per tenant.
 */
export class TeamsConversations {
  private readonly pacer = new Pacer();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    readonly references: TeamsReferences,
  ) {}

  /** Sends messages in order; returns the first one's id. Throws NotifyError when there is no way there. */
  async send(tenant: string, to: Destination, messages: TeamsMessage[]): Promise<string | undefined> {
    const reference = await this.references.reference(tenant, to);
    if (reference)
      return this.continue(tenant, reference as unknown as Partial<ConversationReference>, messages);
    if (to.kind === "channel") throw new NotifyError("permanent", "no_conversation_reference");
    return this.open(tenant, to.user, messages);
  }

  private async continue(
    tenant: string,
    reference: Partial<ConversationReference>,
    messages: TeamsMessage[],
  ): Promise<string | undefined> {
    let first: string | undefined;
    let failure: unknown;
    // The adapter hands a failure inside a proactive turn to onTurnError; keep it to throw it here.
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      first = await this.sendAll(tenant, context, messages).catch((error: unknown) => {
        failure = error;
        return undefined;
      });
    });
    if (failure) throw failure;
    return first;
  }

  /** A personal chat with a member who has none with the bot yet: the tenant's endpoint opens one. */
  private async open(tenant: string, user: string, messages: TeamsMessage[]): Promise<string | undefined> {
    const endpoint = await this.references.endpoint(tenant);
    if (!endpoint) throw new NotifyError("permanent", "no_teams_endpoint");
    let first: string | undefined;
    let failure: unknown;
    await this.adapter.createConversationAsync(
      this.appId,
      "msteams",
      endpoint.serviceUrl,
      CONNECTOR_AUDIENCE,
      {
        isGroup: false,
        bot: { id: endpoint.bot.id, name: endpoint.bot.name ?? "" },
        members: [{ id: user, name: "" }],
        tenantId: tenant,
        channelData: { tenant: { id: tenant } },
        activity: undefined as unknown as Activity,
      },
      async (context) => {
        const { activityId: _reply, ...reference } = TurnContext.getConversationReference(context.activity);
        await this.references.remember(tenant, { kind: "dm", user }, reference);
        first = await this.sendAll(tenant, context, messages).catch((error: unknown) => {
          failure = error;
          return undefined;
        });
      },
    );
    if (failure) throw failure;
    return first;
  }

  private async sendAll(tenant: string, context: TurnContext, messages: TeamsMessage[]) {
    // A proactive turn's reference names no real message: send new messages, not replies to it.
    context.onSendActivities(async (_context, activities, next) => {
      for (const activity of activities) delete activity.replyToId;
      return next();
    });
    let first: string | undefined;
    for (const message of messages) {
      await this.pacer.wait(tenant, context.activity.conversation.id);
      const sent = await context.sendActivity(toActivity(message));
      first ??= sent?.id;
    }
    return first;
  }
}

const PER_CONVERSATION_MS = Math.ceil(1000 / 7);
const PER_TENANT_MS = Math.ceil(1000 / 30);

/** Spaces sends out: one per conversation every 1/7 s, one per tenant every 1/30 s (in this process). */
class Pacer {
  private readonly next = new Map<string, number>();

  async wait(tenant: string, conversation: string): Promise<void> {
    const now = Date.now();
    const keys = [
      [`t:${tenant}`, PER_TENANT_MS],
      [`c:${conversation}`, PER_CONVERSATION_MS],
    ] as const;
    const at = Math.max(now, ...keys.map(([k]) => this.next.get(k) ?? 0));
    for (const [k, gap] of keys) this.next.set(k, at + gap);
    if (this.next.size > 20_000) {
      for (const [k, t] of this.next) if (t < now) this.next.delete(k);
    }
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
