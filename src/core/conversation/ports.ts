import type { Mode } from "../assessment/bank.js";
import type { AnswerCounts, Answers } from "../assessment/results.js";
import type { Cadence, Schedule } from "../assessment/schedule.js";
import { BotError } from "../errors.js";

/** What the conversation engine needs from storage; src/store implements it on Redis. */

/** The most members a team can have (a bigger channel cannot be registered as one team). */
export const MAX_TEAM_MEMBERS = 20_000;

/** A member change the store refused because the team would pass {@link MAX_TEAM_MEMBERS}. */
export class TeamTooLargeError extends BotError {
  constructor(readonly members: number) {
    super(
      "team_too_large",
      `A team can have at most ${MAX_TEAM_MEMBERS.toLocaleString("en-US")} members, and this change would make ${members.toLocaleString("en-US")}. Nothing was changed.`,
    );
    this.name = "TeamTooLargeError";
  }
}

export interface Team {
  id: string;
  tenant: string;
  platform: "slack" | "teams" | "playground";
  name?: string;
  timezone: string;
  leads: string[];
  members: string[];
  createdAt: string;
  createdBy: string;
  /** When rounds open; the default quarterly schedule when absent. */
  schedule?: Schedule;
  /** A lead opened the results: the channel sees them below 3 respondents too (members are told). */
  resultsOpen?: boolean;
  /** Incremented on every write of the record; saveTeam compares it. */
  version?: number;
}

export interface Session {
  tenant: string;
  teamId: string;
  round: string;
  userId: string;
  mode: Mode;
  /** Question keys in the order asked. */
  keys: string[];
  answers: Record<string, number | null>;
  /** Index in keys of the question being asked; keys.length when all are answered. */
  cursor: number;
  status: "in-progress" | "completed";
  startedAt: string;
  completedAt?: string;
  /** Incremented on every write; writes compare it so two clicks cannot both apply. */
  version: number;
}

/** A team result frozen when its round closes. */
export interface FrozenResult {
  respondents: number;
  members: number;
  visible: boolean;
  score?: number;
  level?: number;
  band?: "strong" | "developing" | "weak";
  components: { id: string; score?: number; level?: number }[];
  /** Question keys whose answers differ by 2 levels or more. */
  disagreements: string[];
}

/** One round of a team: opened for its members, answered until its deadline, then closed and frozen. */
export interface Round {
  /** "2026-Q4" for a quarter, "2026-11" for a month; an extra round in the same period adds "-2", "-3". */
  id: string;
  teamId: string;
  cadence: Cadence;
  openedAt: string;
  deadline: string;
  openedBy: "schedule" | "lead" | "member";
  /** Who the round was opened for. */
  members: string[];
  closedAt?: string;
  closedBy?: "deadline" | "all-completed" | "lead" | "next-round";
  /** Set when the round closes; never changed after. */
  result?: FrozenResult;
}

/** Work that must follow a write, written in the same atomic step (drained by the jobs). */
export type OutboxEntry =
  | { type: "completed"; teamId: string; round: string; userId: string; at: string }
  | { type: "round-closed"; teamId: string; round: string; at: string };

/** A round's completed answers as counts (see Store.roundTally). */
export interface RoundTally {
  /** Completed sessions. */
  respondents: number;
  /** Everyone with a session in the round (completed or not). */
  participants: string[];
  /** Question key -> level -> how many completed sessions gave it. */
  counts: AnswerCounts;
}

export interface Store {
  getTeam(tenant: string, teamId: string): Promise<Team | undefined>;
  /** Creates the team if it does not exist; returns the stored team and whether it was created. */
  createTeam(team: Team, nextOpening?: Date): Promise<{ team: Team; created: boolean }>;
  /** Writes the team if its stored version still equals team.version; members are never written here. */
  saveTeam(team: Team): Promise<boolean>;
  /** Reads, changes and saves a team (compare-and-set, retried); undefined when it does not exist. */
  updateTeam(tenant: string, teamId: string, change: (team: Team) => Team): Promise<Team | undefined>;
  teamsOf(tenant: string, userId: string): Promise<Team[]>;
  setMembers(tenant: string, teamId: string, members: string[]): Promise<Team | undefined>;
  changeMembers(tenant: string, teamId: string, add: string[], remove: string[]): Promise<Team | undefined>;

  getSession(tenant: string, teamId: string, round: string, userId: string): Promise<Session | undefined>;
  /** Writes the session if the stored version still equals expectedVersion (0: none stored). */
  saveSession(session: Session, expectedVersion: number): Promise<boolean>;
  sessionsOf(tenant: string, teamId: string, round: string): Promise<Session[]>;
  /**
   * The round's completed answers counted per question and level, kept as sessions are saved: one read
   * however large the team. Undefined for a round opened before tallies were kept.
   */
  roundTally(tenant: string, teamId: string, round: string): Promise<RoundTally | undefined>;
  /** The team's rounds, oldest first. */
  roundsOf(tenant: string, teamId: string): Promise<Round[]>;
  /** The member's most recent completed answers before a round, for "last quarter" hints. */
  previousAnswers(
    tenant: string,
    teamId: string,
    userId: string,
    beforeRound: string,
  ): Promise<Answers | undefined>;

  getRound(tenant: string, teamId: string, round: string): Promise<Round | undefined>;
  /** The team's open round, if any. */
  openRoundOf(tenant: string, teamId: string): Promise<Round | undefined>;
  /**
   * Stores a new open round if the team has no open round and no round with that id.
   * "open": another round is open; "exists": a round with that id was opened before.
   */
  insertRound(tenant: string, round: Round): Promise<"opened" | "open" | "exists">;
  /** Stores a round's closing once, with an outbox entry; a closed round never changes. */
  finishRound(tenant: string, closed: Round): Promise<{ closed: boolean; round: Round }>;

  /** Every tenant with a team; every team of a tenant. */
  tenants(): Promise<string[]>;
  teamIds(tenant: string): Promise<string[]>;
  /** Records when a team's next round opens (index for schedulers and operators). */
  setNextOpening(tenant: string, teamId: string, at: Date): Promise<void>;
  /** Teams whose next opening is at or before an instant. */
  teamsDue(tenant: string, until: Date): Promise<{ teamId: string; at: Date }[]>;
  /** Entries of the tenant's outbox, oldest first, without removing them. */
  outbox(tenant: string, count?: number): Promise<OutboxEntry[]>;
  /** Removes the first `count` entries (after they were handled). */
  ackOutbox(tenant: string, count: number): Promise<void>;

  /**
   * Claims delivery ids (a platform's retried event, a double click), each remembered `forMs`, in order and
   * each only if the one before was new, in one step: how many were claimed.
   */
  claim(tenant: string, claims: { id: string; forMs: number }[]): Promise<number>;
  /** An assessment button's team, the member's session of the button's round, and that round if open. */
  assessmentClick(tenant: string, teamId: string, round: string, userId: string): Promise<ClickState>;

  /** A member's notification settings in a workspace. */
  getPrefs(tenant: string, userId: string): Promise<MemberPrefs>;
  setPrefs(tenant: string, userId: string, change: Partial<MemberPrefs>): Promise<void>;
  /** Members' time zones as the platform reports them (one write for many). */
  setTimezones(tenant: string, zones: Record<string, string>): Promise<void>;
  /** Workspace settings (where the digest goes). */
  getSettings(tenant: string): Promise<TenantSettings>;
  setSettings(tenant: string, change: Partial<TenantSettings>): Promise<void>;
  /** Messages that failed every retry, newest last; kept per workspace (at most 500). */
  addDeadLetter(tenant: string, letter: DeadLetter): Promise<void>;
  deadLetters(tenant: string): Promise<DeadLetter[]>;
  /** Removes a dead letter (to retry it); undefined when it is gone already. */
  takeDeadLetter(tenant: string, id: string): Promise<DeadLetter | undefined>;
}

export interface ClickState {
  team?: Team;
  session?: Session;
  /** The button's round, when it is the team's open round. */
  open?: Round;
}

export interface MemberPrefs {
  /** No reminders until then (ISO). */
  snoozedUntil?: string;
  /** No nudges or reminders at all. */
  optedOut?: boolean;
  /** The member's IANA time zone, when the platform told us. */
  timezone?: string;
}

export interface TenantSettings {
  /** Where the workspace digest goes. */
  digestChannel?: string;
  digestPlatform?: "slack" | "teams" | "playground";
}

export interface DeadLetter {
  id: string;
  kind: string;
  /** Who it was for, in words ("#ml-platform", "a direct message to U123"). */
  to: string;
  reason: string;
  failedAt: string;
  /** What to send again (the delivery job's data). */
  payload: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
