import type { FakeConnector, Member } from "../../support/fake-connector.js";

/** Activities shaped like the ones Teams sends, with serviceUrl pointing at the fake Bot Connector. */

export const TENANT = "72f988bf-0000-4000-8000-00000000test";
export const BOT = { id: "28:00000000-bot0-4000-8000-000000000001", name: "maturity-bot" };
export const TEAM_ID = "19:team-ml-platform@thread.tacv2";
export const CHANNEL = TEAM_ID; // a team's General channel has the team's id
export const OTHER_CHANNEL = "19:channel-models@thread.tacv2";

export const LEAD: Member = { id: "29:1lead", name: "Team Lead", userRole: "owner" };
export const MEMBER: Member = { id: "29:1member", name: "Second <b>Member</b>", userRole: "user" };
export const MEMBER2: Member = { id: "29:1member2", name: "Third Member", userRole: "user" };
export const MEMBER3: Member = { id: "29:1member3", name: "Fourth Member", userRole: "user" };

let next = 1;
const id = () => `1700000000${String(next++).padStart(3, "0")}`;

export const personalId = (user: Member) => `a:personal-${user.id}`;

function base(fake: FakeConnector, from: Member) {
  return {
    id: id(),
    timestamp: new Date().toISOString(),
    serviceUrl: fake.url,
    channelId: "msteams",
    from: { id: from.id, name: from.name, aadObjectId: `aad-${from.id}` },
    recipient: BOT,
    locale: "en-US",
    localTimezone: "Europe/Berlin",
  };
}

function personal(fake: FakeConnector, from: Member) {
  return {
    ...base(fake, from),
    conversation: { conversationType: "personal", tenantId: TENANT, id: personalId(from) },
    channelData: { tenant: { id: TENANT } },
  };
}

function channel(fake: FakeConnector, from: Member, conversationId: string) {
  const channelId = conversationId.split(";")[0]!;
  return {
    ...base(fake, from),
    conversation: { conversationType: "channel", isGroup: true, tenantId: TENANT, id: conversationId },
    channelData: {
      teamsChannelId: channelId,
      teamsTeamId: TEAM_ID,
      channel: { id: channelId, ...(channelId === TEAM_ID ? { name: "General" } : { name: "Models" }) },
      team: { id: TEAM_ID, name: "ML Platform" },
      tenant: { id: TENANT },
    },
  };
}

export const install = (fake: FakeConnector, from: Member) => ({
  ...personal(fake, from),
  type: "conversationUpdate",
  membersAdded: [{ id: BOT.id }],
});

export const installationUpdate = (fake: FakeConnector, from: Member) => ({
  ...personal(fake, from),
  type: "installationUpdate",
  action: "add",
});

export const say = (fake: FakeConnector, from: Member, text: string) => ({
  ...personal(fake, from),
  type: "message",
  text,
  textFormat: "plain",
});

/** A message in a channel with the bot @mentioned (in the thread of `messageId` when given). */
export const mention = (
  fake: FakeConnector,
  from: Member,
  text: string,
  where = CHANNEL,
  messageId?: string,
) => ({
  ...channel(fake, from, messageId ? `${where};messageid=${messageId}` : where),
  type: "message",
  text: `<at>${BOT.name}</at> ${text}`,
  textFormat: "plain",
  entities: [{ type: "mention", text: `<at>${BOT.name}</at>`, mentioned: BOT }],
});

/** A click on an Action.Submit: Teams sends its data as the value, replying to the card's message. */
export const submit = (fake: FakeConnector, from: Member, data: unknown, cardId: string, where?: string) => ({
  ...(where ? channel(fake, from, where) : personal(fake, from)),
  type: "message",
  value: data,
  replyToId: cardId,
});

export const botAddedToTeam = (fake: FakeConnector, from: Member) => ({
  ...channel(fake, from, TEAM_ID),
  type: "conversationUpdate",
  membersAdded: [{ id: BOT.id }],
  channelData: { ...channel(fake, from, TEAM_ID).channelData, eventType: "teamMemberAdded" },
});

export const membersChanged = (fake: FakeConnector, from: Member, added: Member[], removed: Member[]) => ({
  ...channel(fake, from, TEAM_ID),
  type: "conversationUpdate",
  ...(added.length ? { membersAdded: added.map((m) => ({ id: m.id, name: m.name })) } : {}),
  ...(removed.length ? { membersRemoved: removed.map((m) => ({ id: m.id, name: m.name })) } : {}),
  channelData: {
    ...channel(fake, from, TEAM_ID).channelData,
    eventType: added.length ? "teamMemberAdded" : "teamMemberRemoved",
  },
});

export async function post(
  url: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof activity === "string" ? activity : JSON.stringify(activity),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: card JSON
export type Card = any;

/** The Adaptive Card an activity carries, if any. */
export const cardOf = (activity: Card): Card | undefined =>
  activity?.attachments?.find((a: Card) => a.contentType === "application/vnd.microsoft.card.adaptive")
    ?.content;

/** Every text, title and value of a card, one per line: what its reader sees. */
export const textOf = (card: Card): string => {
  const out: string[] = [];
  (function walk(node: Card) {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if (typeof node.text === "string") out.push(node.text);
      if (typeof node.title === "string") out.push(node.title);
      if (typeof node.value === "string") out.push(node.value);
      Object.values(node).forEach(walk);
    }
  })(card);
  return out.join("\n");
};

/** A card's Action.Submit buttons. */
export const submitsOf = (card: Card): Card[] => {
  const out: Card[] = [];
  (function walk(node: Card) {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if (node.type === "Action.Submit") out.push(node);
      Object.values(node).forEach(walk);
    }
  })(card);
  return out;
};
