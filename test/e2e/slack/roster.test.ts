import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, type SlackSender, startSlackApp } from "../../support/fake-slack.js";

/**
 * Who counts as a team member in Slack: the people in the channel, never bots or deactivated accounts
 * (Slack keeps listing those in conversations.members). The roster, the response rate and the nudges
 * (sent by the app's own queue workers) all follow it.
 */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;

beforeAll(async () => {
  fake = await FakeSlack.start();
  ({ app, slack } = await startSlackApp("slack-roster", fake, { clock: new TestClock(), workers: true }));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const membersOf = async (channel: string) => (await app.store.getTeam("T1", channel))?.members.sort();
const nudgesTo = (user: string) => fake.messagesIn(`D${user}`).filter((m) => /check-in is open/.test(m.text));

describe("Slack: who counts as a team member", () => {
  it("leaves deactivated accounts and bots out of the roster, the response rate and the nudges", async () => {
    fake.deactivated.add("UGONE");
    fake.bots.add("UHELPERBOT");
    await slack.registerTeam("CROSTER", ["ULEAD", "UGONE", "UMEMBER", "UHELPERBOT"]);
    expect(JSON.stringify(fake.responses.at(-1)!.body.blocks)).toContain(
      "#roster is now a team with 2 members",
    );
    expect(await membersOf("CROSTER")).toEqual(["ULEAD", "UMEMBER"]);

    // A deactivated account that shows up as joining the channel stays out too.
    await slack.event({
      type: "member_joined_channel",
      channel: "CROSTER",
      channel_type: "C",
      team: "T1",
      user: "UGONE",
    });
    expect(await membersOf("CROSTER")).toEqual(["ULEAD", "UMEMBER"]);

    expect((await slack.command("ULEAD", "CROSTER", "round start")).status).toBe(200);
    await fake.waitFor(() => nudgesTo("ULEAD").length > 0 && nudgesTo("UMEMBER").length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 500)); // room for a wrong nudge to arrive
    expect(nudgesTo("ULEAD")).toHaveLength(1);
    expect(nudgesTo("UMEMBER")).toHaveLength(1);
    for (const account of ["UGONE", "UHELPERBOT"]) {
      expect(fake.messagesIn(`D${account}`)).toEqual([]);
      expect(fake.callsOf("conversations.open").map((c) => c.args.users)).not.toContain(account);
    }

    // The response rate counts the two people.
    expect((await slack.command("UMEMBER", "CROSTER", "assess")).status).toBe(200);
    expect((await slack.answerAll("UMEMBER", 3)).text).toMatch(/^Your result/);
    fake.reset();
    expect((await slack.command("ULEAD", "CROSTER", "status")).status).toBe(200);
    expect(JSON.stringify(fake.responses.at(-1)!.body.blocks)).toContain("1 of 2 members completed");
  });

  it("refreshes the member list when setup is run again, with people who came and went unannounced", async () => {
    await slack.registerTeam("CREFRESH", ["ULEAD", "USTAYS", "ULEAVES"]);
    expect(await membersOf("CREFRESH")).toEqual(["ULEAD", "ULEAVES", "USTAYS"]);
    // The channel changed and no member event reached the app.
    fake.channels.set("CREFRESH", ["ULEAD", "USTAYS", "UARRIVES", "UBOT"]);
    fake.reset();
    expect((await slack.command("USTAYS", "CREFRESH", "setup", { channelName: "refresh" })).status).toBe(200);
    const reply = fake.responses.at(-1)!.body;
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text).toBe(
      "#refresh is already a team (3 members, lead: <@ULEAD>). I refreshed its member list.",
    );
    expect(await membersOf("CREFRESH")).toEqual(["UARRIVES", "ULEAD", "USTAYS"]);
    expect(await app.store.teamsOf("T1", "ULEAVES")).toEqual([]);
    expect((await app.store.teamsOf("T1", "UARRIVES")).map((t) => t.id)).toEqual(["CREFRESH"]);
  });
});
