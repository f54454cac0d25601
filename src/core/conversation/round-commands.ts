import {
  type Cadence,
  DEFAULT_SCHEDULE,
  describeLocal,
  isTimeZone,
  nextOpening,
  type Schedule,
} from "../assessment/schedule.js";
import { type Block, mentionToken, privately, quoted, type Reply, reply } from "../reply.js";
import { closeRound, openRound, roundLabel, scheduleOf } from "../rounds/lifecycle.js";
import { command as typed } from "./audience.js";
import type { Turn } from "./context.js";
import type { Team } from "./ports.js";
import { teamLabel } from "./views.js";

/**
 * The commands of rounds, nudges and digests: leads and workspace admins run a team's rounds, members
 * choose how they are reminded. What must happen after (nudges, summaries, digests) is an effect the
 * jobs carry out.
 */

type Granted = { ok: true; team: Team } | { ok: false; reply: Reply };

async function isAdmin(turn: Turn): Promise<boolean> {
  const check = turn.directory?.isAdmin;
  return check ? check(turn.event.user.id).catch(() => false) : false;
}

/** The channel's team, if the user may act as its lead (a lead, or a workspace admin). */
export async function leadTeam(turn: Turn, what: string): Promise<Granted> {
  const { event, audience } = turn;
  const team =
    event.channel.kind === "channel"
      ? await turn.deps.store.getTeam(event.tenant, event.channel.id)
      : undefined;
  if (!team) {
    const text =
      event.channel.kind === "channel"
        ? `This channel isn't a team, so ${typed(audience, what)} does nothing here. Nothing was changed: run it in your team's channel, or ${typed(audience, "setup")} here to register this one.`
        : `Run ${typed(audience, what)} in your team's channel (it needs a lead of the team).`;
    return { ok: false, reply: privately(text) };
  }
  if (team.leads.includes(event.user.id) || (await isAdmin(turn))) return { ok: true, team };
  return {
    ok: false,
    reply: privately(
      `Only a lead of ${teamLabel(team)} can do that (${team.leads.map((l) => mentionToken(l)).join(", ")}), or a workspace admin. Nothing was changed.`,
    ),
  };
}

/** A lead of any team in the workspace, or a workspace admin (for workspace-wide commands). */
async function workspaceLead(turn: Turn): Promise<boolean> {
  const { store } = turn.deps;
  const { tenant, user } = turn.event;
  const teams = await store.teamsOf(tenant, user.id);
  return teams.some((t) => t.leads.includes(user.id)) || (await isAdmin(turn));
}

function refusedWorkspace(): Reply {
  return privately("Only a team's lead or a workspace admin can do that. Nothing was changed.");
}

export async function roundCommand(turn: Turn, name: string, args: string): Promise<Reply[]> {
  const words = args.toLowerCase().split(/\s+/).filter(Boolean);
  switch (name) {
    case "results":
      return results(turn, args);
    case "round":
      if (words[0] === "start") return roundStart(turn);
      return [
        privately(`Did you mean ${typed(turn.audience, "round start")}? It opens a round now (leads only).`),
      ];
    case "close":
      return close(turn);
    case "remind":
      return remind(turn);
    case "schedule":
      return schedule(turn, args);
    case "digest":
      if (words[0] === "here") return digestHere(turn);
      if (words[0] === "now") return digestNow(turn);
      return [
        privately(
          `${typed(turn.audience, "digest here")} sends this workspace's quarterly digest to this channel; ${typed(turn.audience, "digest now")} posts it now.`,
        ),
      ];
    case "failures":
      return failures(turn);
    case "stop":
    case "start":
      if (words[0] !== "nudges") {
        return [privately(`Did you mean ${typed(turn.audience, `${name} nudges`)}?`)];
      }
      return nudgePrefs(turn, name);
    case "snooze":
      return nudgePrefs(turn, name);
    default:
      return [];
  }
}

/** `results open` / `results private`: whether the channel sees results below 3 respondents. */
async function results(turn: Turn, args: string): Promise<Reply[]> {
  const want = /^open\b/i.test(args) ? true : /^(private|closed?)\b/i.test(args) ? false : undefined;
  if (want === undefined) {
    return [
      privately(
        `${typed(turn.audience, "results open")} shows the team result to the channel even below 3 respondents (members are told it can reveal answers); ${typed(turn.audience, "results private")} goes back to participation only.`,
      ),
    ];
  }
  const lead = await leadTeam(turn, `results ${want ? "open" : "private"}`);
  if (!lead.ok) return [lead.reply];
  await turn.deps.store.updateTeam(lead.team.tenant, lead.team.id, (t) => ({ ...t, resultsOpen: want }));
  turn.effects.push({
    type: "team-changed",
    tenant: lead.team.tenant,
    teamId: lead.team.id,
    what: "results",
  });
  return [
    reply(
      want
        ? `${teamLabel(lead.team)} now has open results: the channel sees the team result even when fewer than 3 members answered. With 1 or 2 answers, members can work out each other's answers from it.`
        : `${teamLabel(lead.team)}'s results are private again: the channel sees the team result only once 3 members answered.`,
    ),
  ];
}

/** `round start`: a lead opens a round now; the jobs nudge every member who has not been asked yet. */
async function roundStart(turn: Turn): Promise<Reply[]> {
  const lead = await leadTeam(turn, "round start");
  if (!lead.ok) return [lead.reply];
  const { team } = lead;
  const outcome = await openRound(turn.deps, team, "lead");
  const { tenant, id: teamId } = team;
  if (outcome.status === "opened") {
    if (outcome.closed?.status === "closed") {
      const { round, comparison } = outcome.closed;
      turn.effects.push({ type: "round-closed", tenant, teamId, round: round.id, comparison });
    }
    turn.effects.push({ type: "round-opened", tenant, teamId, round: outcome.round.id, by: "lead" });
    return [
      reply(
        `Opened **${roundLabel(outcome.round.id)}** for ${teamLabel(team)}: each of its ${team.members.length} members gets a direct message with a Start button. Answers close ${describeLocal(new Date(outcome.round.deadline), team.timezone)}.`,
      ),
    ];
  }
  turn.effects.push({ type: "nudge-requested", tenant, teamId, round: outcome.round.id });
  return [
    privately(
      `${roundLabel(outcome.round.id)} is already open for ${teamLabel(team)}; members who have not been asked yet are nudged now.`,
    ),
  ];
}

/** `close`: a lead closes the open round now; the summary goes to the channel once. */
async function close(turn: Turn): Promise<Reply[]> {
  const lead = await leadTeam(turn, "close");
  if (!lead.ok) return [lead.reply];
  const { team } = lead;
  const outcome = await closeRound(turn.deps, team, "lead");
  if (outcome.status === "no-round") return [privately(`${teamLabel(team)} has no open round to close.`)];
  if (outcome.status === "already-closed") {
    return [privately(`${roundLabel(outcome.round.id)} is already closed; its summary was posted once.`)];
  }
  turn.effects.push({
    type: "round-closed",
    tenant: team.tenant,
    teamId: team.id,
    round: outcome.round.id,
    comparison: outcome.comparison,
  });
  return [privately(`Closed **${roundLabel(outcome.round.id)}**: its summary goes to this channel.`)];
}

/** `remind`: a lead reminds, now, the members who have not completed the open round. */
async function remind(turn: Turn): Promise<Reply[]> {
  const lead = await leadTeam(turn, "remind");
  if (!lead.ok) return [lead.reply];
  const { team } = lead;
  const round = await turn.deps.store.openRoundOf(team.tenant, team.id);
  if (!round) {
    return [
      privately(`${teamLabel(team)} has no open round. ${typed(turn.audience, "round start")} opens one.`),
    ];
  }
  const sessions = await turn.deps.store.sessionsOf(team.tenant, team.id, round.id);
  const done = new Set(sessions.filter((s) => s.status === "completed").map((s) => s.userId));
  const waiting = team.members.filter((m) => !done.has(m)).length;
  turn.effects.push({ type: "remind-requested", tenant: team.tenant, teamId: team.id, round: round.id });
  return [
    privately(
      waiting === 0
        ? `Everyone in ${teamLabel(team)} has completed ${roundLabel(round.id)}: nobody to remind.`
        : `Reminding the ${waiting} member${waiting === 1 ? "" : "s"} of ${teamLabel(team)} who have not completed ${roundLabel(round.id)} (except those who opted out or snoozed).`,
    ),
  ];
}

const SCHEDULE_WORDS =
  /^(quarterly|monthly)(?:\s+at\s+(\d{1,2}):(\d{2}))?(?:\s+tz\s+([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}))?(?:\s+window\s+(\d{1,2}))?\s*$/i;

/** `schedule`: show it; `schedule quarterly|monthly [at HH:MM] [tz Area/City] [window N]`: a lead changes it. */
async function schedule(turn: Turn, args: string): Promise<Reply[]> {
  const { store, clock } = turn.deps;
  const { event, audience } = turn;
  if (!args.trim()) {
    const team =
      event.channel.kind === "channel"
        ? await store.getTeam(event.tenant, event.channel.id)
        : (await store.teamsOf(event.tenant, event.user.id))[0];
    if (!team) return [privately(`Run ${typed(audience, "schedule")} in your team's channel.`)];
    return [scheduleReply(team, clock.now(), `${teamLabel(team)}'s schedule`)];
  }
  const m = SCHEDULE_WORDS.exec(args.trim());
  if (!m) {
    return [
      privately(
        `I couldn't read that schedule. For example: ${typed(audience, "schedule quarterly at 09:30 tz Europe/Berlin window 14")} (a lead's command; time, time zone and window are optional).`,
      ),
    ];
  }
  const lead = await leadTeam(turn, "schedule");
  if (!lead.ok) return [lead.reply];
  const [, cadence, hh, mm, tz, window] = m;
  const hour = hh === undefined ? undefined : Number(hh);
  const minute = mm === undefined ? undefined : Number(mm);
  if (hour !== undefined && (hour > 23 || (minute ?? 0) > 59)) {
    return [privately("The time must be HH:MM between 00:00 and 23:59. Nothing was changed.")];
  }
  if (tz && !isTimeZone(tz)) {
    return [
      privately(
        `${quoted(tz)} is not a time zone I know; use an IANA name such as Europe/Berlin. Nothing was changed.`,
      ),
    ];
  }
  const days = window === undefined ? undefined : Number(window);
  if (days !== undefined && (days < 1 || days > 60)) {
    return [privately("The answer window is 1 to 60 days. Nothing was changed.")];
  }
  const updated = await store.updateTeam(lead.team.tenant, lead.team.id, (t) => {
    const current = scheduleOf(t);
    const next: Schedule = {
      ...current,
      cadence: cadence!.toLowerCase() as Cadence,
      ...(hour !== undefined ? { hour, minute: minute ?? 0 } : {}),
      ...(days !== undefined ? { windowDays: days } : {}),
    };
    return { ...t, schedule: next, ...(tz ? { timezone: tz } : {}) };
  });
  if (!updated) return [privately("That team no longer exists. Nothing was changed.")];
  turn.effects.push({ type: "team-changed", tenant: updated.tenant, teamId: updated.id, what: "schedule" });
  return [scheduleReply(updated, clock.now(), `Updated ${teamLabel(updated)}'s schedule`)];
}

export function scheduleReply(team: Team, now: Date, title: string): Reply {
  const s = scheduleOf(team);
  const next = nextOpening(s, team.timezone, now);
  const hhmm = `${String(s.hour).padStart(2, "0")}:${String(s.minute).padStart(2, "0")}`;
  const when =
    s.cadence === "quarterly"
      ? `each quarter, on its first weekday at ${hhmm}`
      : `each month, on its first weekday at ${hhmm}`;
  const text = `**${title}:** a round opens ${when} (${team.timezone}); answers stay open ${s.windowDays} days; reminders on days ${s.reminderDays.join(" and ")} to members who have not completed.\n**Next opening:** ${next.id}, ${describeLocal(next.opensAt, team.timezone)}.`;
  const blocks: Block[] = [{ type: "markdown", text }];
  if (JSON.stringify(s) === JSON.stringify(DEFAULT_SCHEDULE)) {
    blocks.push({ type: "context", text: "This is the default schedule." });
  }
  return reply(text, blocks);
}

async function digestHere(turn: Turn): Promise<Reply[]> {
  const { event, audience } = turn;
  if (event.channel.kind === "dm")
    return [privately(`Run ${typed(audience, "digest here")} in the channel that should get the digest.`)];
  if (!(await workspaceLead(turn))) return [refusedWorkspace()];
  await turn.deps.store.setSettings(event.tenant, {
    digestChannel: event.channel.id,
    digestPlatform: event.platform,
  });
  return [
    reply(
      `This channel now gets the workspace's quarterly progress digest: every team's level and trend, who moved, participation, and a chart. ${typed(audience, "digest now")} posts one now.`,
    ),
  ];
}

async function digestNow(turn: Turn): Promise<Reply[]> {
  const { event, audience } = turn;
  if (!(await workspaceLead(turn))) return [refusedWorkspace()];
  const settings = await turn.deps.store.getSettings(event.tenant);
  if (!settings.digestChannel) {
    return [
      privately(
        `No digest channel yet: run ${typed(audience, "digest here")} in the channel that should get it.`,
      ),
    ];
  }
  turn.effects.push({ type: "digest-requested", tenant: event.tenant });
  return [privately("The digest is on its way to the digest channel.")];
}

/** `failures`: messages that failed every retry, each with a retry button. */
async function failures(turn: Turn): Promise<Reply[]> {
  if (!(await workspaceLead(turn))) return [refusedWorkspace()];
  const letters = (await turn.deps.store.deadLetters(turn.event.tenant)).slice(-10);
  if (letters.length === 0) return [privately("No failed messages: everything was delivered.")];
  const blocks: Block[] = [{ type: "heading", text: "Messages that failed every retry" }];
  for (const l of letters) {
    blocks.push(
      {
        type: "markdown",
        text: `**${l.kind}** to ${l.to}: ${quoted(l.reason)} (${l.failedAt.slice(0, 16).replace("T", " ")} UTC)`,
      },
      {
        type: "actions",
        buttons: [
          { id: `retry-${l.id}`.slice(0, 200), label: "Retry", value: { action: "retry-failure", id: l.id } },
        ],
      },
    );
  }
  return [{ ...reply(`${letters.length} failed message(s)`, blocks), private: true }];
}

export async function retryFailure(turn: Turn, id: string): Promise<Reply[]> {
  if (!(await workspaceLead(turn))) return [refusedWorkspace()];
  const letter = await turn.deps.store.takeDeadLetter(turn.event.tenant, id);
  if (!letter) return [privately("That message was retried already.")];
  turn.effects.push({ type: "dead-letter-retry", tenant: turn.event.tenant, letter });
  return [privately(`Sending the ${letter.kind} to ${letter.to} again.`)];
}

/** `snooze`, `stop nudges`, `start nudges`, in a direct message. */
async function nudgePrefs(turn: Turn, name: string): Promise<Reply[]> {
  const { store, clock } = turn.deps;
  const { tenant, user } = turn.event;
  if (name === "snooze") {
    const until = new Date(clock.now().getTime() + 7 * 86_400_000);
    await store.setPrefs(tenant, user.id, { snoozedUntil: until.toISOString() });
    return [
      privately(
        `Snoozed: no reminders until ${until.toISOString().slice(0, 10)}. You can still answer any time with ${typed(turn.audience, "assess")}.`,
      ),
    ];
  }
  if (name === "stop") {
    await store.setPrefs(tenant, user.id, { optedOut: true });
    return [
      privately(
        `You won't get nudges or reminders any more. ${typed(turn.audience, "start nudges")} turns them back on.`,
      ),
    ];
  }
  await store.setPrefs(tenant, user.id, { optedOut: false, snoozedUntil: undefined });
  return [privately("Nudges are on again: you'll hear from me when a round opens.")];
}
