import { describeLocal } from "../assessment/schedule.js";
import type { Block, Reply } from "../reply.js";
import { type Comparison, roundLabel, thaw } from "../rounds/lifecycle.js";
import { type Audience, command, type ViewDeps } from "./audience.js";
import type { Round, Team } from "./ports.js";
import { hiddenNote, resultBlocks, roadmapItems, roadmapSource } from "./team-views.js";
import { levelName, teamLabel, worthDiscussing } from "./views.js";

/** Messages the bot sends first: nudges, reminders, round summaries and the digest. */

function startButton(team: Team, label: string) {
  return {
    id: "assess-start",
    label,
    value: { action: "assess", mode: "full", t: team.id },
    style: "primary" as const,
  };
}

/** The direct message that opens a round for a member: what, why, until when, a Start button. */
export function nudgeReply(team: Team, round: Round, member: string): Reply {
  const deadline = describeLocal(new Date(round.deadline), team.timezone);
  const text =
    `${teamLabel(team)}'s **${roundLabel(round.id)}** maturity check-in is open: 8 questions, about 5 minutes ` +
    `(a minute if little changed: last round's answers are offered again). Your answers stay private; the channel sees the combined result only. Answers close ${deadline}.`;
  return {
    to: { kind: "dm", user: member },
    text: `${teamLabel(team)}'s ${roundLabel(round.id)} check-in is open`,
    blocks: [
      { type: "markdown", text },
      { type: "actions", buttons: [startButton(team, "Start my assessment")] },
      {
        type: "context",
        text: "Reply `snooze` to skip reminders for a week, or `stop nudges` to opt out.",
      },
    ],
    key: `nudge:${team.id}:${round.id}`,
  };
}

/** A reminder to a member who has not completed the open round. */
export function reminderReply(team: Team, round: Round, member: string, inProgress: boolean): Reply {
  const deadline = describeLocal(new Date(round.deadline), team.timezone);
  const text = inProgress
    ? `Your ${teamLabel(team)} **${roundLabel(round.id)}** assessment is half done: pick up where you left off. Answers close ${deadline}.`
    : `Reminder: ${teamLabel(team)}'s **${roundLabel(round.id)}** check-in is still open, and your view counts. About 5 minutes; answers close ${deadline}.`;
  return {
    to: { kind: "dm", user: member },
    text: `Reminder: ${teamLabel(team)}'s ${roundLabel(round.id)} check-in closes ${deadline}`,
    blocks: [
      { type: "markdown", text },
      { type: "actions", buttons: [startButton(team, inProgress ? "Resume" : "Start my assessment")] },
      { type: "context", text: "Reply `snooze` to skip reminders for a week, or `stop nudges` to opt out." },
    ],
    key: `remind:${team.id}:${round.id}`,
  };
}

function signed(n: number): string {
  return `${n > 0 ? "+" : ""}${n.toFixed(1)}`;
}

/** The next steps for a level, top three, weakest components first, with their source. */
function nextSteps(deps: ViewDeps, level: number, weakest: string[]): Block[] {
  if (level >= 5) {
    return [
      { type: "markdown", text: "**Next steps:** level 5 is the top of the scale; keep the practice sharp." },
    ];
  }
  const steps = roadmapItems(deps, level, weakest)
    .slice(0, 3)
    .map((i) => `- ${i.item}`);
  if (steps.length === 0) return [];
  const source = roadmapSource(deps, level);
  return [
    { type: "markdown", text: `**Next steps for level ${level} → ${level + 1}:**\n${steps.join("\n")}` },
    ...(source ? [{ type: "context" as const, text: `Source: ${source}` }] : []),
  ];
}

/**
 * What closing a round posts to the team's channel: a level-change summary when the level or band moved
 * since the previous closed round, else a short progress note. Aggregates only, and only when shown.
 */
export function roundClosedReply(deps: ViewDeps, audience: Audience, team: Team, c: Comparison): Reply {
  const changed = c.levelChanged || c.bandChanged;
  return changed ? levelChangeSummary(deps, team, c) : progressNote(deps, audience, team, c);
}

export function levelChangeSummary(deps: ViewDeps, team: Team, c: Comparison): Reply {
  const now = thaw(c.current)!;
  const before = c.previous!.result;
  const moved = c.direction === "up" ? "moved up" : c.direction === "down" ? "moved down" : "changed band";
  const headline =
    `${teamLabel(team)} ${moved}: level ${before.level} → level ${now.level} ` +
    `(score ${before.score?.toFixed(1)} → ${now.score.toFixed(1)}, ${before.band} → ${now.band}) in ${c.round.label}.`;
  const blocks: Block[] = [
    { type: "heading", text: `${teamLabel(team)} · ${c.round.label} result` },
    {
      type: "markdown",
      text: `**Level ${before.level} → level ${now.level}** · ${levelName(deps, now.level)}\nScore ${before.score?.toFixed(1)} → ${now.score.toFixed(1)} · band ${before.band} → ${now.band} · ${c.participation.respondents} of ${c.participation.members} members answered.`,
    },
  ];
  if (c.moved.length > 0) {
    blocks.push({
      type: "table",
      columns: ["Component", c.previous!.label, c.round.label, "Change"],
      rows: c.moved.map((m) => [
        m.name,
        m.before?.toFixed(1) ?? "–",
        m.after?.toFixed(1) ?? "–",
        signed(m.delta!),
      ]),
    });
  }
  blocks.push(...worthDiscussing(deps, c.disagreements));
  blocks.push(
    ...nextSteps(
      deps,
      now.level,
      now.weakest.map((w) => w.id),
    ),
  );
  return {
    to: { kind: "channel", channel: team.id },
    text: headline,
    blocks,
    key: `summary:${team.id}:${c.round.id}`,
  };
}

export function progressNote(deps: ViewDeps, audience: Audience, team: Team, c: Comparison): Reply {
  const { respondents, members } = c.participation;
  const result = c.direction === "hidden" ? undefined : thaw(c.current);
  const blocks: Block[] = [{ type: "heading", text: `${teamLabel(team)} · ${c.round.label} closed` }];
  let text: string;
  if (!result) {
    text = `${c.round.label} closed: ${respondents} of ${members} members completed the assessment.`;
    blocks.push({ type: "markdown", text: `${text} ${hiddenNote(audience, team, respondents)}` });
  } else {
    const still =
      c.direction === "same"
        ? `still level ${result.level} (score ${c.previous?.result.score?.toFixed(1)} → ${result.score.toFixed(1)})`
        : `level ${result.level}, score ${result.score.toFixed(1)} (first result)`;
    text = `${c.round.label} closed: ${teamLabel(team)} is ${still}, ${result.band}.`;
    blocks.push({ type: "markdown", text }, ...resultBlocks(deps, result, c.participation, c.disagreements));
    if (c.moved.length > 0) {
      blocks.push({
        type: "markdown",
        text: `**Moved:** ${c.moved.map((m) => `${m.name} ${signed(m.delta!)}`).join(", ")}`,
      });
    }
    blocks.push(
      ...nextSteps(
        deps,
        result.level,
        result.weakest.map((w) => w.id),
      ),
    );
  }
  return { to: { kind: "channel", channel: team.id }, text, blocks, key: `summary:${team.id}:${c.round.id}` };
}

export interface DigestTeam {
  team: Team;
  /** Shown results of the last rounds, oldest first. */
  trend: { round: string; level: number; score: number; band: string }[];
  respondents: number;
  members: number;
}

export interface DigestData {
  title: string;
  teams: DigestTeam[];
  /** The organisation's teams per level 1-5 (shown results only). */
  distribution: number[];
  chart?: { data: Uint8Array; alt: string };
}

/** The workspace digest: every team's level and trend, who moved, participation, the distribution. */
export function digestReply(audience: Audience, channel: string, data: DigestData): Reply {
  const rows = data.teams.map(({ team, trend, respondents, members }) => {
    const last = trend.at(-1);
    const prev = trend.at(-2);
    const arrow = !last || !prev ? "" : last.level > prev.level ? " ↑" : last.level < prev.level ? " ↓" : "";
    return [
      teamLabel(team),
      last ? `${last.level}${arrow}` : "–",
      last ? last.score.toFixed(1) : "–",
      last?.band ?? "–",
      trend.map((t) => t.score.toFixed(1)).join(" → ") || "–",
      `${respondents}/${members}`,
    ];
  });
  const up = data.teams.filter((t) => (t.trend.at(-1)?.level ?? 0) > (t.trend.at(-2)?.level ?? 99));
  const down = data.teams.filter((t) => (t.trend.at(-1)?.level ?? 99) < (t.trend.at(-2)?.level ?? 0));
  const total = data.distribution.reduce((a, b) => a + b, 0);
  const ours = data.distribution
    .map((n, i) => `L${i + 1} ${total ? Math.round((n / total) * 100) : 0}%`)
    .join(" · ");
  const blocks: Block[] = [
    { type: "heading", text: data.title },
    {
      type: "table",
      columns: ["Team", "Level", "Score", "Band", "Trend", "Answered"],
      rows,
    },
    {
      type: "markdown",
      text: [
        up.length > 0 ? `**Moved up:** ${up.map((t) => teamLabel(t.team)).join(", ")}` : "",
        down.length > 0 ? `**Moved down:** ${down.map((t) => teamLabel(t.team)).join(", ")}` : "",
        up.length + down.length === 0 ? "No team changed level since the last round." : "",
      ]
        .filter(Boolean)
        .join("\n"),
    },
    {
      type: "markdown",
      text: `**Our teams by level:** ${ours}\n**Market (estimate):** L1 35% · L2 28% · L3 22% · L4 12% · L5 3%, from the research guide's market distribution of its stages 0-4.`,
    },
  ];
  if (data.chart) {
    blocks.push({
      type: "image",
      data: data.chart.data,
      mime: "image/png",
      alt: data.chart.alt,
      title: data.title,
    });
  }
  blocks.push({
    type: "context",
    text: `Teams with fewer than 3 answers show no result. Change where this goes with ${command(audience, "digest here")} in another channel.`,
  });
  return {
    to: { kind: "channel", channel },
    text: `${data.title}: ${data.teams.length} team${data.teams.length === 1 ? "" : "s"}`,
    blocks,
    key: `digest:${channel}`,
  };
}
