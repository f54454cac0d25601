import { componentName, componentsOfItem } from "../assessment/components.js";
import { describeMarket, marketPosition } from "../assessment/market.js";
import {
  explainLevel,
  individualResult,
  MIN_RESPONDENTS,
  type QuestionAggregate,
  type Result,
  type TeamResult,
} from "../assessment/results.js";
import { describeLocal } from "../assessment/schedule.js";
import type { Answer } from "../knowledge/answer.js";
import { guideName } from "../knowledge/sources.js";
import { type Block, type Button, type Reply, reply } from "../reply.js";
import { liveTeamResult, roundLabel, shownNow, thaw } from "../rounds/lifecycle.js";
import { type Audience, command, type ViewDeps } from "./audience.js";
import type { Round, Session, Team } from "./ports.js";
import { componentTable, levelName, teamLabel, worthDiscussing } from "./views.js";

export interface TeamState {
  /** The open round, if any. */
  round?: Round;
  /** The open round's result so far. */
  live?: TeamResult;
  /** Closed rounds with their frozen results, oldest first. */
  history: Round[];
  /** The level the team stands at: the open round's shown result, else the latest shown closed round. */
  level?: number;
  band?: string;
  weakest: string[];
}

/** The open round's result so far and the closed rounds. Reads only: nothing is opened or closed. */
export async function teamState(deps: ViewDeps, team: Team): Promise<TeamState> {
  const [round, rounds] = await Promise.all([
    deps.store.openRoundOf(team.tenant, team.id),
    deps.store.roundsOf(team.tenant, team.id),
  ]);
  // A closed round counts as shown by today's rule for the team (a lead may have opened the results).
  const history = rounds
    .filter((r) => r.closedAt && r.result)
    .map((r) => ({ ...r, result: { ...r.result!, visible: shownNow(team, r.result!) } }));
  const live = round ? await liveTeamResult(deps, team, round) : undefined;
  const shown = live?.visible ? live.result : undefined;
  const last = lastShown(history);
  return {
    ...(round ? { round } : {}),
    ...(live ? { live } : {}),
    history,
    level: shown?.level ?? last?.level,
    band: shown?.band ?? last?.band,
    weakest: (shown ?? last)?.weakest.map((c) => c.id) ?? [],
  };
}

function lastShown(history: Round[]): Result | undefined {
  const round = [...history].reverse().find((h) => h.result?.visible && h.result.level !== undefined);
  return round?.result ? thaw(round.result) : undefined;
}

export interface Standing {
  level?: number;
  weakest: string[];
  /** The level comes from the member's own answers: the team result is not shown yet. */
  own: boolean;
}

/** The level a member plans from: the team's, else (until the team result shows) their own completed answers. */
export async function standing(
  deps: ViewDeps,
  team: Team,
  state: TeamState,
  userId: string | undefined,
  /** The member's session of the open round when the caller has already read it (null: none). */
  loaded?: Session | null,
): Promise<Standing> {
  if (state.level !== undefined) return { level: state.level, weakest: state.weakest, own: false };
  if (!userId || !state.round) return { weakest: [], own: false };
  const session =
    loaded !== undefined ? loaded : await deps.store.getSession(team.tenant, team.id, state.round.id, userId);
  const mine = session?.status === "completed" ? individualResult(session.answers, deps.bank) : undefined;
  return mine
    ? { level: mine.level, weakest: mine.weakest.map((c) => c.id), own: true }
    : { weakest: [], own: false };
}

/** The checklist items of the roadmap step from a level, those serving the weakest components first. */
export function roadmapItems(
  deps: Pick<ViewDeps, "knowledge">,
  from: number,
  weakest: readonly string[],
): { item: string; focus: boolean }[] {
  const page = deps.knowledge.roadmapFrom(from);
  if (!page) return [];
  const items = page.sections
    .filter((s) => s.depth === 3)
    .flatMap((s) => s.markdown.split("\n").filter((l) => /^\s*[-*]\s/.test(l)))
    .map((l) => l.replace(/^\s*[-*]\s+(?:\[[ x]\]\s+)?/, "").trim())
    .filter(Boolean)
    .map((item) => ({ item, focus: componentsOfItem(item).some((c) => weakest.includes(c)) }));
  return [...items.filter((i) => i.focus), ...items.filter((i) => !i.focus)];
}

/** "Technology & Operations guide, level 2 → 3 roadmap": where next steps come from, for people. */
export function roadmapSource(deps: Pick<ViewDeps, "knowledge">, from: number): string | undefined {
  const page = deps.knowledge.roadmapFrom(from);
  return page ? `${guideName(page.meta.source)}, level ${from} → ${from + 1} roadmap` : undefined;
}

/** The blocks that show a visible result: level, score, band, components, why, disagreements, market. */
export function resultBlocks(
  deps: ViewDeps,
  result: Result,
  respondents: { respondents: number; members: number; questions?: readonly QuestionAggregate[] },
  disagreements: readonly string[],
): Block[] {
  const blocks: Block[] = [
    {
      type: "fields",
      fields: [
        { label: "Level", value: `${result.level} · ${levelName(deps, result.level)}` },
        { label: "Score", value: result.score.toFixed(1) },
        { label: "Band", value: result.band },
        { label: "Respondents", value: `${respondents.respondents} of ${respondents.members}` },
      ],
    },
    componentTable(result.components),
    { type: "markdown", text: `**Why level ${result.level}:** ${explainLevel(result)}` },
  ];
  blocks.push(...worthDiscussing(deps, disagreements));
  // Questions too few answered are out of the result (see teamResultOfCounts): say so, without which.
  const leftOut = (respondents.questions ?? []).filter((q) => q.respondents > 0 && q.median === undefined);
  if (leftOut.length > 0) {
    blocks.push({
      type: "context",
      text: `${leftOut.length === 1 ? "One question is" : `${leftOut.length} questions are`} left out: fewer than ${MIN_RESPONDENTS} members answered ${leftOut.length === 1 ? "it" : "them"}, and their answers stay private.`,
    });
  }
  blocks.push({ type: "context", text: describeMarket(marketPosition(result.level)) });
  return blocks;
}

/** Why a team sees participation only, and what would change that. */
export function hiddenNote(audience: Audience, team: Team, respondents: number): string {
  const members = team.members.length;
  if (members < MIN_RESPONDENTS) {
    return `With ${members} member${members === 1 ? "" : "s"}, a team result would let members work out each other's answers, so the channel sees participation only. A lead can switch to open results with ${command(audience, "results open")} (members are told).`;
  }
  const needed = MIN_RESPONDENTS - respondents;
  return `The team result appears once ${MIN_RESPONDENTS} members have completed it (${needed} more), so that no one's answers can be singled out.`;
}

/** `status`: aggregates only; a member's own result is added only in their direct message. */
export async function statusReply(deps: ViewDeps, audience: Audience, team: Team): Promise<Reply[]> {
  const state = await teamState(deps, team);
  const { round, live } = state;
  const members = team.members.length;
  const blocks: Block[] = [
    { type: "heading", text: `${teamLabel(team)} · ${round ? roundLabel(round.id) : "no round open"}` },
  ];
  let summary: string;
  if (round && live) {
    const progress = `${live.respondents} of ${members} member${members === 1 ? "" : "s"} completed the ${roundLabel(round.id)} assessment (answers close ${describeLocal(new Date(round.deadline), team.timezone)}).`;
    if (live.visible && live.result) {
      blocks.push(...resultBlocks(deps, live.result, live, live.disagreements), {
        type: "context",
        text: progress,
      });
      summary = `${teamLabel(team)}: level ${live.result.level}, score ${live.result.score.toFixed(1)} (${live.result.band})`;
    } else {
      blocks.push({
        type: "markdown",
        text: `${progress} ${hiddenNote(audience, team, live.respondents)}`,
      });
      summary = `${teamLabel(team)}: ${progress}`;
    }
  } else {
    const last = state.history.at(-1);
    const shown = last?.result?.visible ? thaw(last.result) : undefined;
    if (last?.result && shown) {
      blocks.push(
        { type: "markdown", text: `Result of **${roundLabel(last.id)}** (closed):` },
        ...resultBlocks(deps, shown, last.result, last.result.disagreements),
      );
      summary = `${teamLabel(team)}: level ${shown.level}, score ${shown.score.toFixed(1)} (${shown.band}), ${roundLabel(last.id)}`;
    } else {
      summary = `${teamLabel(team)}: no round is open.`;
    }
    blocks.push({
      type: "markdown",
      text: `No round is open. ${command(audience, "assess")} starts this quarter's round; a lead can also run ${command(audience, "round start")}.`,
    });
  }
  const trend = trendLine(state);
  if (trend) blocks.push({ type: "markdown", text: `**Trend:** ${trend}` });

  if (audience.kind === "member") {
    const own = round
      ? await deps.store.getSession(team.tenant, team.id, round.id, audience.userId)
      : undefined;
    const mine = own?.status === "completed" ? individualResult(own.answers, deps.bank) : undefined;
    blocks.push({
      type: "context",
      text: mine
        ? `Your own result (only you see it): ${mine.score.toFixed(1)}, level ${mine.level}.`
        : own?.status === "completed"
          ? `You skipped every question this round, so you have no result of your own. ${command(audience, "assess")} lets you answer again.`
          : own
            ? `Your assessment is in progress: question ${own.cursor + 1} of ${own.keys.length}.`
            : round
              ? "You haven't answered this round yet."
              : "You have no assessment open.",
    });
  }
  const buttons: Button[] = [
    {
      id: "start-assess",
      label: "Take the assessment",
      value: { action: "assess", mode: "full", t: team.id },
      style: "primary",
    },
    ...(state.level ? [{ id: "roadmap", label: "Roadmap", value: { action: "roadmap", t: team.id } }] : []),
  ];
  blocks.push({ type: "actions", buttons });
  return [reply(summary, blocks)];
}

/** Shown scores of the closed rounds and the open one: "2026-Q3 2.8 (L2) → 2026-Q4 3.4 (L3)". */
export function trendPoints(state: TeamState): { round: string; score: number; level: number }[] {
  const points = state.history
    .filter((h) => h.result?.visible && h.result.score !== undefined && h.result.level !== undefined)
    .map((h) => ({ round: roundLabel(h.id), score: h.result!.score!, level: h.result!.level! }));
  if (state.round && state.live?.visible && state.live.result) {
    points.push({
      round: roundLabel(state.round.id),
      score: state.live.result.score,
      level: state.live.result.level,
    });
  }
  return points;
}

function trendLine(state: TeamState): string | undefined {
  const points = trendPoints(state).map((p) => `${p.round} ${p.score.toFixed(1)} (L${p.level})`);
  return points.length > 1 ? points.join(" → ") : undefined;
}

/** `roadmap [level]`: the next step for the level given, or the team's, its weakest components first. */
export async function roadmapReply(
  deps: ViewDeps,
  audience: Audience,
  team: Team | undefined,
  level: number | undefined,
): Promise<Reply[]> {
  const { knowledge } = deps;
  let from = level;
  let weakest: string[] = [];
  if (from === undefined && team) {
    const userId = audience.kind === "member" ? audience.userId : undefined;
    ({ level: from, weakest } = await standing(deps, team, await teamState(deps, team), userId));
  }
  if (from === undefined) {
    const answer = knowledge.answer("what are our next steps?");
    return [
      answerReply(
        answer,
        `Your team has no level yet: take the assessment, or ask for a level, e.g. ${command(audience, "roadmap 2")}.\n\n`,
      ),
    ];
  }
  const answer = knowledge.roadmap(from, team ? { teamName: teamLabel(team) } : {});
  const focus = weakest.length > 0 ? focusItems(deps, from, weakest) : undefined;
  return [answerReply(answer, focus ? `${focus}\n\n` : "")];
}

/** The checklist items of the next roadmap step that serve the weakest components. */
function focusItems(deps: ViewDeps, from: number, weakest: string[]): string | undefined {
  const picked = roadmapItems(deps, from, weakest)
    .filter((i) => i.focus)
    .slice(0, 6)
    .map((i) => i.item);
  if (picked.length === 0) return undefined;
  const labels = weakest.map(componentName).join(" and ");
  return `**Start with ${labels}** (your weakest):\n${picked.map((i) => `- ${i}`).join("\n")}`;
}

/** A knowledge answer as a reply: the markdown, its sources as a context line, follow-ups as buttons. */
export function answerReply(answer: Answer, prefix = ""): Reply {
  // The answer ends with its human source line; repository paths stay out of chat.
  const blocks: Block[] = [{ type: "markdown", text: `${prefix}${answer.answer}` }];
  if (answer.followUps.length > 0) {
    blocks.push({
      type: "actions",
      buttons: answer.followUps.slice(0, 4).map((f, i) => ({
        id: `ask-${i}`,
        label: f.label,
        value: { action: "ask", q: f.question.slice(0, 300), ...(f.part ? { more: f.part } : {}) },
      })),
    });
  }
  return reply(`${prefix}${answer.answer}`, blocks);
}
