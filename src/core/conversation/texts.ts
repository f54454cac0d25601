import type { Button } from "../reply.js";
import { type Audience, commandPrefix } from "./audience.js";

/** Words a user types, and what the bot says about them. */
export const COMMANDS = [
  "help",
  "setup",
  "assess",
  "status",
  "roadmap",
  "ask",
  "lead",
  "results",
  "round",
  "close",
  "remind",
  "schedule",
  "digest",
  "failures",
  "snooze",
  "stop",
  "start",
] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(word: string): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word);
}

export function helpText(audience: Pick<Audience, "platform">): string {
  const prefix = commandPrefix(audience.platform);
  return [
    "I help your team see how mature its MLOps practice is and what to do next, using the rules of five MLOps maturity guides.",
    "",
    `- \`${prefix}setup\`: run it in your team's channel to register the team (you become its lead)`,
    `- \`${prefix}assess\`: take this quarter's assessment in a direct message (8 questions; \`${prefix}assess quick\` asks 3)`,
    `- \`${prefix}status\`: the team's level, score, band, components, trend and market position`,
    `- \`${prefix}roadmap\`: next steps for the team's level, weakest components first (or \`${prefix}roadmap 2\` for a level)`,
    `- \`${prefix}ask <question>\`: e.g. _how long does level 2 to 3 take?_ (a direct message or @mention works too)`,
    `- \`${prefix}lead @someone\`: leads can make another member a lead`,
    "",
    "**For leads**, in the team's channel:",
    `- \`${prefix}round start\`: open a round now and ask every member to answer`,
    `- \`${prefix}close\`: close the open round now and post its summary here`,
    `- \`${prefix}remind\`: remind the members who have not completed the open round`,
    `- \`${prefix}schedule\`: when rounds open; \`${prefix}schedule quarterly at 09:00 tz Europe/Berlin window 14\` changes it`,
    `- \`${prefix}results open\` / \`${prefix}results private\`: whether the channel sees results below 3 respondents`,
    `- \`${prefix}digest here\` / \`${prefix}digest now\`: where the workspace's quarterly digest goes, or post it now`,
    `- \`${prefix}failures\`: messages that could not be delivered, with a retry button`,
    "",
    "**Reminders**, in a direct message with me: `snooze` (a week without reminders), `stop nudges`, `start nudges`.",
    "",
    "Your own answers are private: the channel only ever sees the team's combined result, once at least 3 members have answered (unless a lead opened the results, and members are told).",
  ].join("\n");
}

export const START_BUTTONS: Button[] = [
  {
    id: "start-assess",
    label: "Start my assessment",
    value: { action: "assess", mode: "full" },
    style: "primary",
  },
  { id: "start-assess-quick", label: "Quick (3 questions)", value: { action: "assess", mode: "quick" } },
];
