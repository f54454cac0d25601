import { componentName } from "../assessment/components.js";
import type { ComponentResult } from "../assessment/results.js";
import type { Block } from "../reply.js";
import type { ViewDeps } from "./audience.js";
import type { Team } from "./ports.js";

export function teamLabel(team: Team): string {
  if (!team.name) return "your team";
  return team.name.startsWith("#") ? team.name : `#${team.name}`;
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
