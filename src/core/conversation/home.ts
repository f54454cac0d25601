import type { Block, Button } from "../reply.js";
import { roundLabel } from "../rounds/lifecycle.js";
import { type Audience, commandPrefix, type ViewDeps } from "./audience.js";
import type { Team } from "./ports.js";
import { roadmapItems, standing, type TeamState, teamState, trendPoints } from "./team-views.js";
import { levelName, teamLabel } from "./views.js";

export type HomeViewer = Extract<Audience, { kind: "member" }>;

/** Teams shown on one home page; a member of more sees the first ones and a hint. */
const MAX_TEAMS = 8;

/**
 * A member's home page (Slack's App Home): for each of their teams the level, band, trend, this round's
 * progress, a start/resume button and the top three next steps. Aggregates only, as in `status`; the
 * viewer's own progress is the only individual figure, and only they see their home page.
 */
export async function homeBlocks(deps: ViewDeps, viewer: HomeViewer): Promise<Block[]> {
  const prefix = commandPrefix(viewer.platform);
  const teams = await deps.store.teamsOf(viewer.tenant, viewer.userId);
  const blocks: Block[] = [{ type: "heading", text: "Your MLOps maturity" }];
  if (teams.length === 0) {
    blocks.push(
      {
        type: "markdown",
        text:
          `You're not in a team yet. Run \`${prefix}setup\` in your team's channel to register it (you become its lead), ` +
          `or ask your lead to. Then everyone takes a short assessment here, one click per question.`,
      },
      {
        type: "context",
        text: `Ask me anything meanwhile: send me a message, or \`${prefix}ask how long does level 2 to 3 take?\``,
      },
    );
    return blocks;
  }
  for (const [index, team] of teams.slice(0, MAX_TEAMS).entries()) {
    const state = await teamState(deps, team);
    blocks.push({ type: "divider" }, ...(await teamSection(deps, viewer, team, state, index)));
  }
  if (teams.length > MAX_TEAMS) {
    blocks.push({
      type: "context",
      text: `You're in ${teams.length} teams; the first ${MAX_TEAMS} are shown. \`${prefix}status\` in a team's channel shows any of them.`,
    });
  }
  blocks.push({
    type: "context",
    text: "Only you see this page. Your own answers stay private; teams see combined results only.",
  });
  return blocks;
}

async function teamSection(
  deps: ViewDeps,
  viewer: HomeViewer,
  team: Team,
  state: TeamState,
  index: number,
): Promise<Block[]> {
  const user = viewer.userId;
  const own = state.round
    ? await deps.store.getSession(team.tenant, team.id, state.round.id, user)
    : undefined;
  const members = team.members.length;
  const yours =
    own?.status === "completed"
      ? "you're done"
      : own
        ? `you're at question ${own.cursor + 1} of ${own.keys.length}`
        : "you haven't started";
  const blocks: Block[] = [
    {
      type: "heading",
      text: `${teamLabel(team)} · ${state.round ? roundLabel(state.round.id) : "no round open"}`,
    },
    {
      type: "fields",
      fields: [
        {
          label: "Level",
          value: state.level ? `${state.level} · ${levelName(deps, state.level)}` : "not known yet",
        },
        { label: "Band", value: state.band ?? "–" },
        { label: "Trend", value: trend(state) },
        {
          label: "This round",
          value: state.live
            ? `${state.live.respondents} of ${members} member${members === 1 ? "" : "s"} completed; ${yours}`
            : "none open",
        },
      ],
    },
  ];

  const { level, weakest, own: fromOwn } = await standing(deps, team, state, user, own ?? null);
  const from = fromOwn ? "your own answers, until the team result shows" : "the team's level";
  const steps =
    level === undefined
      ? []
      : roadmapItems(deps, level, weakest)
          .slice(0, 3)
          .map((i) => i.item);
  if (level === undefined) {
    blocks.push({
      type: "context",
      text: "Next steps appear once the team has a level: take the assessment.",
    });
  } else if (level >= 5) {
    blocks.push({
      type: "markdown",
      text: "**Next steps:** level 5 is the top of the scale; keep the practice sharp.",
    });
  } else if (steps.length > 0) {
    blocks.push({
      type: "markdown",
      text: `**Next steps** (level ${level} → ${level + 1}, from ${from}):\n${steps.map((s) => `- ${s}`).join("\n")}`,
    });
  }

  const start: Button =
    own?.status === "in-progress"
      ? {
          // Its own id: a Resume a moment after Start is a second click of another button, not a double click.
          id: `home-resume-${index}`,
          label: `Resume (question ${own.cursor + 1} of ${own.keys.length})`,
          value: { action: "assess", mode: own.mode, t: team.id },
          style: "primary",
        }
      : own?.status === "completed"
        ? {
            // Straight to question 1: the member asked to answer again, so no second offer to.
            id: `home-assess-${index}`,
            label: "Answer again",
            value: { action: "restart", mode: "full", t: team.id, r: own.round },
          }
        : {
            id: `home-assess-${index}`,
            label: "Start my assessment",
            value: { action: "assess", mode: "full", t: team.id },
            style: "primary",
          };
  const buttons: Button[] = [
    start,
    { id: `home-status-${index}`, label: "Team status", value: { action: "status", t: team.id } },
  ];
  if (level !== undefined) {
    buttons.push({
      id: `home-roadmap-${index}`,
      label: "Full roadmap",
      value: { action: "roadmap", t: team.id },
    });
  }
  blocks.push({ type: "actions", buttons });
  return blocks;
}

function trend(state: TeamState): string {
  const points = trendPoints(state);
  if (points.length === 0) return "no result yet";
  if (points.length === 1) return `${points[0]!.score.toFixed(1)} (first result)`;
  const last = points.slice(-3);
  const delta = last.at(-1)!.score - last.at(-2)!.score;
  const arrow = delta > 0.05 ? "up" : delta < -0.05 ? "down" : "steady";
  return `${arrow}: ${last.map((p) => `${p.round} ${p.score.toFixed(1)}`).join(" → ")}`;
}
