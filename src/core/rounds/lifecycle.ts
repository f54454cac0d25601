import type { QuestionBank } from "../assessment/bank.js";
import { componentName } from "../assessment/components.js";
import {
  type Result,
  type TeamResult,
  teamResult,
  teamResultOfCounts,
  weakestComponents,
} from "../assessment/results.js";
import { afterDays, DEFAULT_SCHEDULE, periodOf, type Schedule } from "../assessment/schedule.js";
import type { Clock, FrozenResult, Round, Store, Team } from "../conversation/ports.js";

/**
 * Rounds as explicit operations: opening and closing are idempotent, return what happened, and are the
 * only way a round changes. Reading a team never opens or closes anything.
 */
export interface RoundDeps {
  store: Store;
  bank: QuestionBank;
  clock: Clock;
}

export type Opener = Round["openedBy"];

export type OpenOutcome =
  /** A new round; `closed` is the earlier round it had to close first (its deadline had passed). */
  | { status: "opened"; round: Round; closed?: CloseOutcome }
  /** A round is open already and stays so. */
  | { status: "already-open"; round: Round }
  /** The scheduler fired again for a period whose round was already opened (and maybe closed). */
  | { status: "already-done"; round: Round };

export type CloseOutcome =
  | { status: "closed"; round: Round; comparison: Comparison }
  | { status: "already-closed"; round: Round }
  | { status: "no-round" };

export interface ComponentChange {
  id: string;
  name: string;
  before?: number;
  after?: number;
  /** after - before, to one decimal; undefined when either side is missing. */
  delta?: number;
}

/** A closed round beside the previous closed round: what the jobs render as a summary or a note. */
export interface Comparison {
  teamId: string;
  round: { id: string; label: string };
  previous?: { id: string; label: string; result: FrozenResult };
  current: FrozenResult;
  /** Whether both results may be shown (each had 3 respondents, or the team's results are open). */
  comparable: boolean;
  levelChanged: boolean;
  bandChanged: boolean;
  direction: "up" | "down" | "same" | "first" | "hidden";
  /** Components whose score moved, largest move first. */
  moved: ComponentChange[];
  disagreements: string[];
  participation: { respondents: number; members: number };
}

export function scheduleOf(team: Team): Schedule {
  return team.schedule ?? DEFAULT_SCHEDULE;
}

/** "2026-Q4", "2026-Q4 (round 2)". */
export function roundLabel(id: string): string {
  const extra = /^(.*)-(\d{1,3})$/.exec(id);
  return extra && /-(?:Q[1-4]|\d{2})$/.test(extra[1]!) ? `${extra[1]} (round ${extra[2]})` : id;
}

/**
 * Opens the team's round for now. By the schedule: the period's round, once (a repeated firing finds it
 * done). By a lead or a member: the period's round, or an extra one ("-2") when that was used. An open
 * round past its deadline, or from an earlier period when the schedule fires, is closed first.
 */
export async function openRound(
  deps: RoundDeps,
  team: Team,
  by: Opener,
  now: Date = deps.clock.now(),
): Promise<OpenOutcome> {
  const schedule = scheduleOf(team);
  const period = periodOf(schedule, team.timezone, now);
  let closed: CloseOutcome | undefined;
  const open = await deps.store.openRoundOf(team.tenant, team.id);
  if (open) {
    const expired = now.getTime() >= Date.parse(open.deadline);
    const newPeriod = by === "schedule" && !open.id.startsWith(period.id);
    if (!expired && !newPeriod) return { status: "already-open", round: open };
    closed = await closeRound(deps, team, expired ? "deadline" : "next-round", open.id, now);
  }
  const used = new Set((await deps.store.roundsOf(team.tenant, team.id)).map((r) => r.id));
  if (by === "schedule" && used.has(period.id)) {
    const done = await deps.store.getRound(team.tenant, team.id, period.id);
    if (done) return { status: "already-done", round: done };
  }
  for (let n = 1; n < 100; n++) {
    const id = n === 1 ? period.id : `${period.id}-${n}`;
    if (used.has(id)) continue;
    const round: Round = {
      id,
      teamId: team.id,
      cadence: schedule.cadence,
      openedAt: now.toISOString(),
      deadline: afterDays(now, schedule.windowDays, team.timezone).toISOString(),
      openedBy: by,
      members: [...team.members],
    };
    const stored = await deps.store.insertRound(team.tenant, round);
    if (stored === "opened") return { status: "opened", round, ...(closed ? { closed } : {}) };
    if (stored === "open") {
      // Another process opened one a moment ago: that one stands.
      const other = await deps.store.openRoundOf(team.tenant, team.id);
      if (other) return { status: "already-open", round: other };
    }
    used.add(id);
  }
  throw new Error(`no free round id for team ${team.id} in ${period.id}`);
}

/** Closes a round (the open one unless named): freezes its result once and compares it with the last. */
export async function closeRound(
  deps: RoundDeps,
  team: Team,
  by: NonNullable<Round["closedBy"]>,
  roundId?: string,
  now: Date = deps.clock.now(),
): Promise<CloseOutcome> {
  const round = roundId
    ? await deps.store.getRound(team.tenant, team.id, roundId)
    : await deps.store.openRoundOf(team.tenant, team.id);
  if (!round) return { status: "no-round" };
  if (round.closedAt) return { status: "already-closed", round };
  const result = await liveResult(deps, team, round);
  const finished = await deps.store.finishRound(team.tenant, {
    ...round,
    closedAt: now.toISOString(),
    closedBy: by,
    result,
  });
  if (!finished.closed) return { status: "already-closed", round: finished.round };
  const history = await deps.store.roundsOf(team.tenant, team.id);
  const previous = history.filter((r) => r.result && r.id !== round.id && r.openedAt < round.openedAt).at(-1);
  return { status: "closed", round: finished.round, comparison: compare(finished.round, previous) };
}

/**
 * A round's team result now: the median per question over its completed assessments, from the round's
 * tally (one read, however large the team); a round opened before tallies were kept reads its sessions.
 */
export async function liveTeamResult(deps: RoundDeps, team: Team, round: Round): Promise<TeamResult> {
  const tally = await deps.store.roundTally(team.tenant, team.id, round.id);
  if (tally) {
    const members = new Set([...round.members, ...tally.participants]).size;
    return teamResultOfCounts(tally.counts, tally.respondents, members, deps.bank, {
      open: team.resultsOpen,
    });
  }
  const sessions = await deps.store.sessionsOf(team.tenant, team.id, round.id);
  const completed = sessions.filter((s) => s.status === "completed").map((s) => s.answers);
  const members = new Set([...round.members, ...sessions.map((s) => s.userId)]).size;
  return teamResult(completed, members, deps.bank, { open: team.resultsOpen });
}

/** The result a round would freeze now. */
export async function liveResult(deps: RoundDeps, team: Team, round: Round): Promise<FrozenResult> {
  return freeze(await liveTeamResult(deps, team, round));
}

export function freeze(r: TeamResult): FrozenResult {
  const members = r.members;
  return {
    respondents: r.respondents,
    members,
    visible: r.visible,
    ...(r.result ? { score: r.result.score, level: r.result.level, band: r.result.band } : {}),
    components: (r.result?.components ?? []).map(({ id, score, level }) => ({
      id,
      ...(score !== undefined ? { score } : {}),
      ...(level !== undefined ? { level } : {}),
    })),
    disagreements: r.disagreements,
  };
}

/** Compares a closed round with the previous closed one. Hidden results compare as "hidden". */
export function compare(round: Round, previous: Round | undefined): Comparison {
  const current = round.result!;
  const before = previous?.result;
  const shown = current.visible && current.level !== undefined;
  const comparable = shown && Boolean(before?.visible && before.level !== undefined);
  const moved: ComponentChange[] = comparable
    ? current.components
        .map((c) => {
          const old = before!.components.find((o) => o.id === c.id)?.score;
          const delta =
            old !== undefined && c.score !== undefined ? Math.round((c.score - old) * 10) / 10 : undefined;
          return { id: c.id, name: componentName(c.id), before: old, after: c.score, delta };
        })
        .filter((c) => c.delta !== undefined && c.delta !== 0)
        .sort((a, b) => Math.abs(b.delta!) - Math.abs(a.delta!))
    : [];
  const direction: Comparison["direction"] = !shown
    ? "hidden"
    : !comparable
      ? "first"
      : current.level! > before!.level!
        ? "up"
        : current.level! < before!.level!
          ? "down"
          : "same";
  return {
    teamId: round.teamId,
    round: { id: round.id, label: roundLabel(round.id) },
    ...(previous && before
      ? { previous: { id: previous.id, label: roundLabel(previous.id), result: before } }
      : {}),
    current,
    comparable,
    levelChanged: comparable && current.level !== before!.level,
    bandChanged: comparable && current.band !== before!.band,
    direction,
    moved,
    disagreements: shown ? current.disagreements : [],
    participation: { respondents: current.respondents, members: current.members },
  };
}

/**
 * Whether a closed round's result may be shown now: 3 respondents, or the team's results are open
 * (a lead's choice applies to past rounds too; members were told).
 */
export function shownNow(team: Team, result: FrozenResult): boolean {
  return (
    result.level !== undefined && (result.visible || (Boolean(team.resultsOpen) && result.respondents > 0))
  );
}

/** A frozen result in the shape the views draw (component names, weakest components). */
export function thaw(frozen: FrozenResult): Result | undefined {
  if (frozen.score === undefined || frozen.level === undefined || frozen.band === undefined) return undefined;
  const components = frozen.components.map((c) => ({ ...c, name: componentName(c.id) }));
  return {
    score: frozen.score,
    level: frozen.level,
    band: frozen.band,
    components,
    weakest: weakestComponents(components),
  };
}
