import { componentName } from "../assessment/components.js";
import type { ComponentResult } from "../assessment/results.js";
import { type Block, HIDDEN_CHARACTERS } from "../reply.js";
import type { ViewDeps } from "./audience.js";
import type { Team } from "./ports.js";

/**
 * What a team's name may not bring into a message: the characters of tags, links, code and strike
 * (<at>, <a href>, [text](url), `…`, ~~…~~, a backslash that would undo an escape). Slack's channel
 * names never have them; a Teams channel's name may have any of them.
 */
const NAME_MARKUP = /[<>[\]`\\*~|]/g;

/** "#name", from the channel's name as the platform gave it, safe in any message (see NAME_MARKUP). */
export function teamLabel(team: Team): string {
  const name = (team.name ?? "")
    .replace(HIDDEN_CHARACTERS, "")
    .replace(NAME_MARKUP, "")
    .replace(/\s+/g, " ")
    .trim();
  if (!name) return "your team";
  return name.startsWith("#") ? name : `#${name}`;
}

/**
 * Labels that tell teams apart in one list (a picker): each team's label, and where two teams share a
 * channel name (a renamed channel, two Teams channels of the same name) the day it was set up, then its id.
 */
export function distinctLabels(teams: readonly Team[]): string[] {
  const clash = (labels: string[]) => (i: number) => labels.filter((l) => l === labels[i]).length > 1;
  const plain = teams.map(teamLabel);
  const dated = plain.map((l, i) =>
    clash(plain)(i) ? `${l} (set up ${teams[i]!.createdAt.slice(0, 10)})` : l,
  );
  return dated.map((l, i) => (clash(dated)(i) ? `${plain[i]} (${teams[i]!.id})` : l));
}

/** "Developing / Experimenting" for level 2, from the level pages of the knowledge base. */
export function levelName(deps: Pick<ViewDeps, "knowledge">, level: number): string {
  return deps.knowledge.levelPage(level)?.meta.name ?? `Level ${level}`;
}

export function componentTable(components: ComponentResult[]): Block {
  return {
    type: "table",
    columns: ["Component", "Score", "Level"],
    rows: components.map((c) => [
      c.name || componentName(c.id),
      c.score === undefined ? "–" : c.score.toFixed(1),
      c.level === undefined ? "not asked" : String(c.level),
    ]),
  };
}

/** The questions where a team's answers differ by 2 levels or more, to talk over; none when they agree. */
export function worthDiscussing(deps: Pick<ViewDeps, "bank">, keys: readonly string[]): Block[] {
  if (keys.length === 0) return [];
  const titles = keys.map((k) => deps.bank.get(k)?.prompt ?? k);
  return [
    {
      type: "markdown",
      text: `**Worth discussing:** answers differ by 2 levels or more on\n${titles.map((t) => `- ${t}`).join("\n")}`,
    },
  ];
}
