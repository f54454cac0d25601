import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../../../src/core/assessment/bank.js";
import { audienceOf } from "../../../../src/core/conversation/audience.js";
import { NotInChannelError } from "../../../../src/core/conversation/context.js";
import { type ChatEvent, parseActionValue } from "../../../../src/core/conversation/events.js";
import { MAX_TEAM_MEMBERS, type Team, TeamTooLargeError } from "../../../../src/core/conversation/ports.js";
import { isCommand } from "../../../../src/core/conversation/texts.js";
import {
  componentTable,
  levelName,
  teamLabel,
  worthDiscussing,
} from "../../../../src/core/conversation/views.js";
import { realKnowledge } from "../../../support/knowledge.js";

/** The small pieces the views are drawn with: labels, names, tables, button values, errors, audiences. */

const team = (name: string | undefined): Team => ({
  id: "C-1",
  tenant: "T-test",
  platform: "teams",
  ...(name === undefined ? {} : { name }),
  timezone: "UTC",
  leads: [],
  members: [],
  createdAt: "2026-11-20T10:00:00.000Z",
  createdBy: "U-a",
});

describe("teamLabel", () => {
  it("prefixes a name with # once", () => {
    expect(teamLabel(team("ml"))).toBe("#ml");
    expect(teamLabel(team("#ml"))).toBe("#ml");
  });

  it("takes out hidden characters and markup, folds and trims spaces", () => {
    expect(teamLabel(team("m\u200Bl\uFEFF"))).toBe("#ml");
    expect(teamLabel(team("<at>ml</at> [x](y) `z` ~~s~~ *b* a|b \\"))).toBe("#atml/at x(y) z s b ab");
    expect(teamLabel(team("  data \t  science  "))).toBe("#data science");
  });

  it("a team without a usable name is 'your team'", () => {
    expect(teamLabel(team(undefined))).toBe("your team");
    expect(teamLabel(team(""))).toBe("your team");
    expect(teamLabel(team(" <>`\u200B "))).toBe("your team");
  });
});

describe("levels, components and disagreements", () => {
  it("names a level from its page, else by its number", async () => {
    const { engine } = await realKnowledge();
    expect(levelName({ knowledge: engine }, 2)).toBe("Developing / Experimenting");
    expect(levelName({ knowledge: engine }, 7)).toBe("Level 7");
  });

  it("a component row keeps its own name, else the known one, else its id", () => {
    expect(
      componentTable([
        { id: "model-lifecycle", name: "Own name", score: 2.25, level: 2 },
        { id: "model-lifecycle", name: "", score: undefined, level: undefined },
        { id: "x-unknown", name: "" },
      ] as never),
    ).toEqual({
      type: "table",
      columns: ["Component", "Score", "Level"],
      rows: [
        ["Own name", "2.3", "2"],
        ["Model lifecycle management", "–", "not asked"],
        ["x-unknown", "–", "not asked"],
      ],
    });
  });

  it("lists the questions worth discussing by prompt, an unknown one by its key", async () => {
    const { kb } = await realKnowledge();
    const bank = new QuestionBank(kb);
    const [key] = bank.keys("full");
    expect(worthDiscussing({ bank }, [])).toEqual([]);
    expect(worthDiscussing({ bank }, [key!, "q-gone"])).toEqual([
      {
        type: "markdown",
        text: `**Worth discussing:** answers differ by 2 levels or more on\n- ${bank.get(key!)!.prompt}\n- q-gone`,
      },
    ]);
  });
});

describe("button values", () => {
  it("reads a flat object, or its JSON text", () => {
    expect(parseActionValue({ action: "ask", more: 2, keep: true })).toEqual({
      action: "ask",
      more: 2,
      keep: true,
    });
    expect(parseActionValue('{"action":"ask","q":"why?"}')).toEqual({ action: "ask", q: "why?" });
  });

  it("anything else is no value", () => {
    expect(parseActionValue("{not json")).toBeUndefined();
    expect(parseActionValue('"text"')).toBeUndefined();
    expect(parseActionValue("42")).toBeUndefined();
    expect(parseActionValue({ nested: { a: 1 } })).toBeUndefined();
    expect(parseActionValue(undefined)).toBeUndefined();
  });
});

describe("errors, audiences and commands", () => {
  it("a team too large is a BotError of its own", () => {
    const e = new TeamTooLargeError(MAX_TEAM_MEMBERS + 5);
    expect(e.name).toBe("TeamTooLargeError");
    expect(e.code).toBe("team_too_large");
    expect(e.members).toBe(20_005);
    expect(e.userMessage).toBe(
      "A team can have at most 20,000 members, and this change would make 20,005. Nothing was changed.",
    );
  });

  it("not being in a channel names the channel", () => {
    const e = new NotInChannelError("C-9");
    expect(e.name).toBe("NotInChannelError");
    expect(e.message).toBe("not in channel C-9");
    expect(e.channelId).toBe("C-9");
  });

  it("a direct message is drawn for the member, a channel for the channel", () => {
    const base = {
      type: "command",
      name: "status",
      args: "",
      mentions: [],
      platform: "slack",
      tenant: "T-1",
    };
    expect(
      audienceOf({ ...base, user: { id: "U-1" }, channel: { id: "D-1", kind: "dm" } } as ChatEvent),
    ).toEqual({ kind: "member", platform: "slack", tenant: "T-1", userId: "U-1" });
    expect(
      audienceOf({ ...base, user: { id: "U-1" }, channel: { id: "C-1", kind: "channel" } } as ChatEvent),
    ).toEqual({ kind: "channel", platform: "slack", tenant: "T-1", channelId: "C-1" });
  });

  it("knows its command words and nothing else", () => {
    expect(isCommand("status")).toBe(true);
    expect(isCommand("start")).toBe(true);
    expect(isCommand("Status")).toBe(false);
    expect(isCommand("launch")).toBe(false);
  });
});
