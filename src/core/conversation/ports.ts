import type { Mode } from "../assessment/bank.js";
import type { Answers } from "../assessment/results.js";

/** What the conversation engine needs from storage; src/store implements it on Redis. */

/** The most members a team can have (a bigger channel cannot be registered as one team). */
export const MAX_TEAM_MEMBERS = 20_000;

/** A member change the store refused because the team would pass {@link MAX_TEAM_MEMBERS}. */
export class TeamTooLargeError extends Error {
  constructor(readonly members: number) {
    super(`a team can have at most ${MAX_TEAM_MEMBERS} members; this change would make ${members}`);
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

export interface RoundRecord {
  teamId: string;
  round: string;
  closedAt: string;
  respondents: number;
  members: number;
  visible: boolean;
  score?: number;
  level?: number;
  band?: string;
  components: { id: string; score?: number; level?: number }[];
  disagreements: string[];
}

export interface Store {
  getTeam(tenant: string, teamId: string): Promise<Team | undefined>;
  /** Creates the team if it does not exist; returns the stored team and whether it was created. */
  createTeam(team: Team): Promise<{ team: Team; created: boolean }>;
  saveTeam(team: Team): Promise<void>;
  teamsOf(tenant: string, userId: string): Promise<Team[]>;
  setMembers(tenant: string, teamId: string, members: string[]): Promise<Team | undefined>;
  changeMembers(tenant: string, teamId: string, add: string[], remove: string[]): Promise<Team | undefined>;

  getSession(tenant: string, teamId: string, round: string, userId: string): Promise<Session | undefined>;
  /** Writes the session if the stored version still equals expectedVersion (0: none stored). */
  saveSession(session: Session, expectedVersion: number): Promise<boolean>;
  sessionsOf(tenant: string, teamId: string, round: string): Promise<Session[]>;
  /** Rounds in which the team has any session, oldest first. */
  roundsOf(tenant: string, teamId: string): Promise<string[]>;
  /** The member's most recent completed answers before a round, for "last quarter" hints. */
  previousAnswers(
    tenant: string,
    teamId: string,
    userId: string,
    beforeRound: string,
  ): Promise<Answers | undefined>;

  getRound(tenant: string, teamId: string, round: string): Promise<RoundRecord | undefined>;
  /** Stores a closed round once; a closed round never changes. */
  closeRound(tenant: string, record: RoundRecord): Promise<RoundRecord>;

  /** True the first time a delivery id is seen (within a day). */
  claimDelivery(tenant: string, deliveryId: string): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
