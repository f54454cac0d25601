import { componentName, componentsOfItem } from "../assessment/components.js";
import { describeMarket, marketPosition } from "../assessment/market.js";
import {
  individualResult,
  MIN_RESPONDENTS,
  type TeamResult,
  teamResult,
  weakestComponents,
} from "../assessment/results.js";
import { compareRounds } from "../assessment/rounds.js";
import type { Answer } from "../knowledge/answer.js";
import { type Block, type Button, type Reply, reply } from "../reply.js";
import { currentRound } from "./assessment-flow.js";
import type { Turn } from "./context.js";
import type { RoundRecord, Session, Team } from "./ports.js";
import { componentTable, levelName, teamLabel } from "./views.js";

export interface TeamState {
  round: string;
  current: TeamResult;
  /** Closed rounds, oldest first. */
  history: RoundRecord[];
  /** The level the team stands at: this round's visible result, else the latest visible closed round. */
  level?: number;
  band?: string;
  weakest: string[];
}

/** This round's result and the closed rounds; closes (once, immutably) any earlier round not yet closed. */
export async function teamState(turn: Turn, team: Team): Promise<TeamState> {
  const { store, clock } = turn.deps;
  const round = currentRound(turn, team);
  const rounds = await store.roundsOf(team.tenant, team.id);
  const history: RoundRecord[] = [];
  for (const r of rounds.filter((x) => compareRounds(x, round) < 0)) {
    const stored = await store.getRound(team.tenant, team.id, r);
    if (stored) {
      history.push(stored);
      continue;
    }
    const closed = await roundResult(turn, team, r);
    history.push(await store.closeRound(team.tenant, toRecord(team, r, closed, clock.now())));
  }
  const current = await roundResult(turn, team, round);
  const shown = current.visible ? current.result : undefined;
  const lastVisible = [...history].reverse().find((h) => h.visible && h.level !== undefined);
  return {
    round,
    current,
    history,
    level: shown ? shown.level : lastVisible?.level,
    band: shown ? shown.band : lastVisible?.band,
    weakest: (shown ? shown.weakest : weakestComponents(lastVisible?.components ?? [])).map((c) => c.id),
  };
}

async function roundResult(turn: Turn, team: Team, round: string): Promise<TeamResult> {
  const sessions = await turn.deps.store.sessionsOf(team.tenant, team.id, round);
  const completed = sessions.filter((s) => s.status === "completed").map((s) => s.answers);
  return teamResult(completed, team.members.length, turn.deps.bank);
}

export interface Standing {
  level?: number;
  weakest: string[];
  /** The level comes from the member's own answers: the team result is not shown yet. */
  own: boolean;
}

/** The level a member plans from: the team's, else (until the team result shows) their own completed answers. */
export async function standing(
  turn: Turn,
  team: Team,
  state: TeamState,
  /** The member's session of this round when the caller has already read it (null: none). */
  loaded?: Session | null,
): Promise<Standing> {
  if (state.level !== undefined) return { level: state.level, weakest: state.weakest, own: false };
  const session =
    loaded !== undefined
      ? loaded
      : await turn.deps.store.getSession(team.tenant, team.id, state.round, turn.event.user.id);
  const mine =
    session?.status === "completed" ? individualResult(session.answers, turn.deps.bank) : undefined;
  return mine
    ? { level: mine.level, weakest: mine.weakest.map((c) => c.id), own: true }
    : { weakest: [], own: false };
}

/** The checklist items of the roadmap step from a level, those serving the weakest components first. */
export function roadmapItems(
  turn: Turn,
  from: number,
  weakest: readonly string[],
): { item: string; focus: boolean }[] {
  const page = turn.deps.knowledge.roadmapFrom(from);
  if (!page) return [];
  const items = page.sections
    .filter((s) => s.depth === 3)
    .flatMap((s) => s.markdown.split("\n").filter((l) => /^\s*[-*]\s/.test(l)))
    .map((l) => l.replace(/^\s*[-*]\s+(?:\[[ x]\]\s+)?/, "").trim())
    .filter(Boolean)
    .map((item) => ({ item, focus: componentsOfItem(item).some((c) => weakest.includes(c)) }));
  return [...items.filter((i) => i.focus), ...items.filter((i) => !i.focus)];
}

function toRecord(team: Team, round: string, result: TeamResult, now: Date): RoundRecord {
  return {
    teamId: team.id,
    round,
    closedAt: now.toISOString(),
    respondents: result.respondents,
    members: result.members,
    visible: result.visible,
    score: result.result?.score,
    level: result.result?.level,
    band: result.result?.band,
    components: (result.result?.components ?? []).map(({ id, score, level }) => ({ id, score, level })),
    disagreements: result.disagreements,
  };
}

/** `status`: aggregates only; a member's own result is added only in their direct message. */
export async function statusReply(turn: Turn, team: Team): Promise<Reply[]> {
  const state = await teamState(turn, team);
  const { current, round } = state;
  const blocks: Block[] = [{ type: "heading", text: `${teamLabel(team)} · ${round}` }];
  const progress = `${current.respondents} of ${team.members.length} member${team.members.length === 1 ? "" : "s"} completed this quarter's assessment.`;
  if (current.visible && current.result) {
    const r = current.result;
    blocks.push(
      {
        type: "fields",
        fields: [
          { label: "Level", value: `${r.level} · ${levelName(turn, r.level)}` },
          { label: "Score", value: r.score.toFixed(1) },
          { label: "Band", value: r.band },
          { label: "Respondents", value: `${current.respondents} of ${team.members.length}` },
        ],
      },
      componentTable(r.components),
    );
    if (r.weakest.length > 0) {
      blocks.push({
        type: "markdown",
        text: `Weakest components: **${r.weakest.map((c) => c.name).join("**, **")}**.`,
      });
    }
    if (current.disagreements.length > 0) {
      const titles = current.disagreements.map((k) => turn.deps.bank.get(k)?.prompt ?? k);
      blocks.push({
        type: "markdown",
        text: `**Worth discussing:** answers differ by 2 levels or more on\n${titles.map((t) => `- ${t}`).join("\n")}`,
      });
    }
    blocks.push({ type: "context", text: describeMarket(marketPosition(r.level)) });
  } else {
    const needed = Math.min(MIN_RESPONDENTS, Math.max(team.members.length, 1));
    blocks.push({
      type: "markdown",
      text: `${progress} The team result appears once ${needed} ${needed === 1 ? "member has" : "members have"} completed it, so that no one's answers can be singled out.`,
    });
  }
  const trend = trendLine(state);
  if (trend) blocks.push({ type: "markdown", text: `**Trend:** ${trend}` });
  if (current.visible) blocks.push({ type: "context", text: progress });

  if (turn.event.channel.kind === "dm") {
    const own = await turn.deps.store.getSession(team.tenant, team.id, round, turn.event.user.id);
    const mine = own?.status === "completed" ? individualResult(own.answers, turn.deps.bank) : undefined;
    blocks.push({
      type: "context",
      text: mine
        ? `Your own result (only you see it): ${mine.score.toFixed(1)}, level ${mine.level}.`
        : own
          ? `Your assessment is in progress: question ${own.cursor + 1} of ${own.keys.length}.`
          : "You haven't answered this quarter yet.",
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
  const text =
    current.visible && current.result
      ? `${teamLabel(team)}: level ${current.result.level}, score ${current.result.score.toFixed(1)} (${current.result.band})`
      : `${teamLabel(team)}: ${progress}`;
  return [{ ...reply(text, blocks) }];
}

function trendLine(state: TeamState): string | undefined {
  const points = state.history
    .filter((h) => h.visible && h.score !== undefined)
    .map((h) => `${h.round} ${h.score!.toFixed(1)} (L${h.level})`);
  if (state.current.visible && state.current.result) {
    points.push(`${state.round} ${state.current.result.score.toFixed(1)} (L${state.current.result.level})`);
  }
  return points.length > 1 ? points.join(" → ") : undefined;
}

/** `roadmap [level]`: the next step for the level given, or the team's, its weakest components first. */
export async function roadmapReply(
  turn: Turn,
  team: Team | undefined,
  level: number | undefined,
): Promise<Reply[]> {
  const { knowledge } = turn.deps;
  let from = level;
  let weakest: string[] = [];
  if (from === undefined && team) {
    ({ level: from, weakest } = await standing(turn, team, await teamState(turn, team)));
  }
  if (from === undefined) {
    const answer = knowledge.answer("what are our next steps?");
    return [
      answerReply(
        answer,
        "Your team has no level yet: take the assessment, or ask for a level, e.g. `roadmap 2`.\n\n",
      ),
    ];
  }
  const answer = knowledge.roadmap(from, team ? { teamName: teamLabel(team) } : {});
  const focus = weakest.length > 0 ? focusItems(turn, from, weakest) : undefined;
  return [answerReply(answer, focus ? `${focus}\n\n` : "")];
}

/** The checklist items of the next roadmap step that serve the weakest components. */
function focusItems(turn: Turn, from: number, weakest: string[]): string | undefined {
  const picked = roadmapItems(turn, from, weakest)
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
