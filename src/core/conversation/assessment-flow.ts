import { z } from "zod";
import type { Mode, Question } from "../assessment/bank.js";
import { describeMarket, marketPosition } from "../assessment/market.js";
import { type Answers, explainLevel, individualResult } from "../assessment/results.js";
import { StorageUnavailableError } from "../errors.js";
import type { Block, Choice, Reply } from "../reply.js";
import { privately, reply } from "../reply.js";
import { openRound, roundLabel } from "../rounds/lifecycle.js";
import { command } from "./audience.js";
import type { Turn } from "./context.js";
import type { ClickState, Round, Session, Team } from "./ports.js";
import { componentTable, levelName, teamLabel } from "./views.js";

const ROUND_ID = /^\d{4}-(?:Q[1-4]|0[1-9]|1[0-2])(?:-\d{1,3})?$/;

const answerValue = z.object({
  action: z.enum(["answer", "back", "skip", "restart", "results"]),
  level: z.number().int().min(1).max(5).optional(),
  /** The question the button belongs to: a second click of the same button finds it no longer current. */
  q: z.string().max(64).optional(),
  t: z.string().max(255),
  r: z.string().regex(ROUND_ID),
  mode: z.enum(["full", "quick"]).optional(),
});
export type AssessmentAction = z.infer<typeof answerValue>;

export function parseAssessmentAction(value: unknown): AssessmentAction | undefined {
  const parsed = answerValue.safeParse(value);
  if (!parsed.success) return undefined;
  const { action, level, q } = parsed.data;
  if (action === "answer" && level === undefined) return undefined;
  if ((action === "answer" || action === "skip" || action === "back") && !q) return undefined;
  return parsed.data;
}

/**
 * A second click of a button within this long of the first is the same click, twice: of Start, it finds
 * the session just made and posts nothing; of any button the engine does not guard otherwise, it does
 * nothing at all (see ConversationEngine.handle).
 */
export const DOUBLE_CLICK_MS = 5000;

/** The round a member answers in: the open one, or a new one for this period (an expired one is closed). */
async function roundForAssess(turn: Turn, team: Team): Promise<Round> {
  const outcome = await openRound(turn.deps, team, "member");
  if (outcome.status === "opened") {
    const { tenant, id: teamId } = team;
    if (outcome.closed?.status === "closed") {
      turn.effects.push({
        type: "round-closed",
        tenant,
        teamId,
        round: outcome.closed.round.id,
        comparison: outcome.closed.comparison,
      });
    }
    turn.effects.push({ type: "round-opened", tenant, teamId, round: outcome.round.id, by: "member" });
  }
  return outcome.round;
}

/** `assess`: start, resume, or offer to redo this round's assessment, in a direct message. */
export async function startAssessment(turn: Turn, team: Team, mode: Mode, restart = false): Promise<Reply[]> {
  const { store, clock } = turn.deps;
  const user = turn.event.user.id;
  const round = (await roundForAssess(turn, team)).id;
  const existing = await store.getSession(team.tenant, team.id, round, user);
  const where = turn.event.channel.kind === "dm" ? [] : [notice(team)];
  const previous = await store.previousAnswers(team.tenant, team.id, user, round);

  if (existing && existing.status === "in-progress") {
    // A second click of Start (or of Answer again) finds the session its first click just made.
    const justMade =
      existing.cursor === 0 &&
      Object.keys(existing.answers).length === 0 &&
      clock.now().getTime() - Date.parse(existing.startedAt) < DOUBLE_CLICK_MS;
    if (justMade && turn.event.type === "action") return [];
    if (!restart) return [...where, questionReply(turn, team, existing, "resume", previous)];
  }
  if (existing && existing.status === "completed" && !restart) {
    const result = individualResult(existing.answers, turn.deps.bank);
    const text =
      `You already completed ${teamLabel(team)}'s assessment for **${roundLabel(round)}**` +
      (result ? ` (score ${result.score.toFixed(1)}, level ${result.level})` : "") +
      ". Answering again replaces your answers for this quarter.";
    return [
      ...where,
      {
        ...reply(text, [
          { type: "markdown", text },
          {
            type: "actions",
            buttons: [
              {
                id: "restart",
                label: "Answer again",
                value: { action: "restart", t: team.id, r: round, mode },
                style: "primary",
              },
              { id: "results", label: "See my result", value: { action: "results", t: team.id, r: round } },
            ],
          },
        ]),
        to: { kind: "dm", user },
      },
    ];
  }

  const keys = turn.deps.bank.keys(mode);
  const session: Session = {
    tenant: team.tenant,
    teamId: team.id,
    round,
    userId: user,
    mode,
    keys,
    answers: {},
    cursor: 0,
    status: "in-progress",
    startedAt: turn.deps.clock.now().toISOString(),
    version: (existing?.version ?? 0) + 1,
  };
  if (!(await store.saveSession(session, existing?.version ?? 0))) {
    // The same click (or another tab) started it a moment earlier: that one posts the question.
    return [];
  }
  turn.effects.push({
    type: "assessment-started",
    tenant: team.tenant,
    teamId: team.id,
    round,
    userId: user,
  });
  return [...where, questionReply(turn, team, session, "new", previous)];
}

/**
 * A button inside an assessment: answer, back, skip, see results (restart starts over). `state` is the
 * engine's one read of the team, the member's session in the button's round and that round if open.
 */
export async function handleAssessmentAction(
  turn: Turn,
  team: Team,
  action: AssessmentAction,
  state: Pick<ClickState, "session" | "open">,
): Promise<Reply[]> {
  const { store, bank } = turn.deps;
  const user = turn.event.user.id;
  const { session, open } = state;
  const assess = command(turn.audience, "assess");
  if (action.action === "results") {
    if (session?.status !== "completed") return [privately("There is no finished assessment to show yet.")];
    return [resultReply(turn, team, session, false)];
  }
  if (!open) {
    return [
      privately(
        `That question belongs to ${roundLabel(action.r)}, a round that has closed. Run ${assess} to answer in the current round.`,
      ),
    ];
  }
  const round = open.id;
  if (!session) return [privately(`That assessment is no longer open. Run ${assess} to start again.`)];
  // The member's answers of an earlier round, shown beside the next question, do not depend on the save.
  const previousAnswers = store.previousAnswers(team.tenant, team.id, user, round).then(
    (answers) => ({ answers }),
    (error: unknown) => ({ error }),
  );
  if (session.status === "completed") {
    return [
      privately(
        `You've already finished this assessment: your answers are saved. Run ${assess} to answer again.`,
      ),
    ];
  }

  for (let attempt = 0; attempt < 3; attempt++) {
    const current = attempt === 0 ? session : await store.getSession(team.tenant, team.id, round, user);
    if (!current || current.status === "completed")
      return [privately("You've already finished this assessment.")];
    const asked = current.keys[current.cursor];
    if (action.action !== "answer" && action.q !== asked) {
      return [privately("Already done: that question is no longer the current one. Your answers are saved.")];
    }
    if (action.action === "answer" && action.q !== asked) {
      const given = action.q ? current.answers[action.q] : undefined;
      const question = action.q ? bank.get(action.q) : undefined;
      return [
        privately(
          question && given !== undefined
            ? `Already answered: "${question.prompt}" is saved as ${given === null ? "skipped" : `Level ${given}`}. Use Back to change it.`
            : `That question is no longer the current one: your answers are saved. Run ${assess} to continue.`,
        ),
      ];
    }
    const next = apply(current, action, turn.deps.clock.now());
    if (!next) return [privately("There is no earlier question to go back to.")];
    if (await store.saveSession(next, current.version)) {
      if (next.status === "completed") {
        turn.effects.push({
          type: "assessment-completed",
          tenant: team.tenant,
          teamId: team.id,
          round,
          userId: user,
        });
        return [resultReply(turn, team, next, true)];
      }
      const previous = await previousAnswers;
      if ("error" in previous) {
        if (!(previous.error instanceof StorageUnavailableError)) throw previous.error;
        return [savedReply(team, next)];
      }
      return [questionReply(turn, team, next, "next", previous.answers)];
    }
    // Lost a race with another click: read again and decide on the fresh state.
  }
  return [privately("Your answer collided with another one. Run `assess` to see where you are.")];
}

function apply(session: Session, action: AssessmentAction, now: Date): Session | undefined {
  const key = session.keys[session.cursor];
  const answers = { ...session.answers };
  let cursor = session.cursor;
  if (action.action === "back") {
    if (cursor === 0) return undefined;
    cursor -= 1;
  } else if (action.action === "skip" || action.action === "answer") {
    if (key === undefined) return undefined;
    answers[key] = action.action === "skip" ? null : action.level!;
    cursor += 1;
  }
  const done = cursor >= session.keys.length;
  return {
    ...session,
    answers,
    cursor,
    status: done ? "completed" : "in-progress",
    completedAt: done ? now.toISOString() : undefined,
    version: session.version + 1,
  };
}

/** One question with a button per level, the previous answer marked, and back/skip. */
export function questionReply(
  turn: Turn,
  team: Team,
  session: Session,
  how: "new" | "resume" | "next",
  previousAnswers: Answers | undefined,
): Reply {
  const { bank } = turn.deps;
  const key = session.keys[session.cursor]!;
  const question = bank.get(key) as Question;
  const position = session.cursor + 1;
  const total = session.keys.length;
  const own = session.answers[key];
  const previous = previousAnswers?.[key];
  const base = { t: team.id, r: session.round, q: key };
  const choices: Choice[] = question.options.map((o) => ({
    id: `answer-${o.level}`,
    label: `Level ${o.level}`,
    value: { action: "answer", level: o.level, ...base },
    description: `**${o.label}**\n${o.description}`,
    note: own === o.level ? "your answer" : previous === o.level ? "last quarter" : undefined,
    style: own === o.level || (own === undefined && previous === o.level) ? "primary" : undefined,
  }));
  const intro =
    how === "new" && session.cursor === 0
      ? `${teamLabel(team)} · ${roundLabel(session.round)} assessment (${session.mode === "quick" ? "quick, 3 questions" : `${total} questions`}). One click per question; you can stop any time and pick up where you left off.\n\n`
      : how === "resume"
        ? `Welcome back: picking up at question ${position} of ${total}.\n\n`
        : "";
  const blocks: Block[] = [
    {
      type: "heading",
      text: `Question ${position}/${total} · ${question.title.replace(/^Assessment question \d+: /, "")}`,
    },
    { type: "markdown", text: `${intro}**${question.prompt}**` },
  ];
  if (previous !== undefined && previous !== null) {
    blocks.push({
      type: "context",
      text: `Last quarter you answered Level ${previous}: still true? One click keeps it.`,
    });
  }
  blocks.push({ type: "choices", choices });
  const buttons = [
    ...(previous !== undefined && previous !== null && own === undefined
      ? [
          {
            id: "answer-keep",
            label: `Keep Level ${previous}`,
            value: { action: "answer", level: previous, ...base, keep: true },
            style: "primary" as const,
          },
        ]
      : []),
    ...(session.cursor > 0 ? [{ id: "back", label: "Back", value: { action: "back", ...base } }] : []),
    { id: "skip", label: "Skip", value: { action: "skip", ...base } },
  ];
  blocks.push({ type: "actions", buttons });
  blocks.push({
    type: "context",
    text: `${position}/${total} · answers are saved as you go and only you see them`,
  });
  return {
    to: { kind: "dm", user: session.userId },
    replace: how === "next",
    text: `Question ${position}/${total}: ${question.prompt}`,
    blocks,
    progress: { current: position, total },
    key: `assess:${team.id}:${session.round}`,
  };
}

export function resultReply(turn: Turn, team: Team, session: Session, justFinished: boolean): Reply {
  const result = individualResult(session.answers, turn.deps.bank);
  const total = session.keys.length;
  if (!result) {
    const text = `You skipped every question, so there is no score. Run ${command(turn.audience, "assess")} to answer again.`;
    return {
      ...reply(text),
      to: { kind: "dm", user: session.userId },
      replace: justFinished,
      key: `assess:${team.id}:${session.round}`,
    };
  }
  const weakest = result.weakest.map((c) => c.name).join(", ");
  const market = marketPosition(result.level);
  const blocks: Block[] = [
    {
      type: "heading",
      text: justFinished
        ? `Done: your ${roundLabel(session.round)} result`
        : `Your ${roundLabel(session.round)} result`,
    },
    {
      type: "fields",
      fields: [
        { label: "Score", value: result.score.toFixed(1) },
        { label: "Level", value: `${result.level} · ${levelName(turn.deps, result.level)}` },
        { label: "Band", value: result.band },
        {
          label: "Answered",
          value: `${Object.values(session.answers).filter((a) => a !== null).length} of ${total}`,
        },
      ],
    },
    componentTable(result.components),
    { type: "markdown", text: `**Why level ${result.level}:** ${explainLevel(result)}` },
  ];
  if (weakest)
    blocks.push({ type: "markdown", text: `The roadmap puts the steps for **${weakest}** first.` });
  blocks.push({ type: "context", text: describeMarket(market) });
  blocks.push({
    type: "actions",
    buttons: [
      {
        id: "roadmap",
        label: "See the roadmap",
        value: { action: "roadmap", level: result.level, t: team.id },
        style: "primary",
      },
      { id: "status", label: "Team status", value: { action: "status", t: team.id } },
    ],
  });
  blocks.push({
    type: "context",
    text: `Only you see your answers; ${teamLabel(team)} sees the combined result once 3 members have answered${team.resultsOpen ? " (a lead opened the results: with fewer answers, members can work out each other's)" : ""}.`,
  });
  return {
    to: { kind: "dm", user: session.userId },
    replace: justFinished,
    text: `Your result: score ${result.score.toFixed(1)}, level ${result.level} (${result.band})`,
    blocks,
    key: `assess:${team.id}:${session.round}`,
  };
}

/** After a saved answer when the next question could not be read: the truth, and a way on. */
function savedReply(team: Team, session: Session): Reply {
  const text = "Saved: your answer is stored. The next question will follow: click Continue to see it.";
  return {
    ...reply(text, [
      { type: "markdown", text },
      {
        type: "actions",
        buttons: [
          {
            id: "continue",
            label: "Continue",
            value: { action: "assess", t: team.id, mode: session.mode },
            style: "primary",
          },
        ],
      },
    ]),
    to: { kind: "dm", user: session.userId },
    replace: true,
    key: `assess:${team.id}:${session.round}`,
  };
}

function notice(team: Team): Reply {
  const text = `I've sent you a direct message with ${teamLabel(team)}'s assessment. Your answers stay private.`;
  return { ...reply(text), private: true, to: { kind: "origin" } };
}
