import { createHash } from "node:crypto";

/**
 * Key layout. Every key starts with KEY_PREFIX and the tenant in braces: a Redis Cluster hash tag, so
 * one tenant's keys share a slot and multi-key scripts work. Ids are URI-encoded so that no ':' or brace
 * inside an id can change the layout.
 */
export class Keys {
  constructor(readonly prefix: string) {}

  private base(tenant: string): string {
    return `${this.prefix}:{${enc(tenant)}}`;
  }

  team(tenant: string, teamId: string) {
    return `${this.base(tenant)}:team:${enc(teamId)}`;
  }
  userTeams(tenant: string, userId: string) {
    return `${this.base(tenant)}:user:${enc(userId)}:teams`;
  }
  session(tenant: string, teamId: string, round: string, userId: string) {
    return `${this.base(tenant)}:session:${enc(teamId)}:${round}:${enc(userId)}`;
  }
  roundSessions(tenant: string, teamId: string, round: string) {
    return `${this.base(tenant)}:sessions:${enc(teamId)}:${round}`;
  }
  /**
   * Hash of a round's completed answers counted per question and level ("<question>:<level>" -> count,
   * "n" -> completed sessions), kept by the session script; present only for rounds opened with it.
   */
  tally(tenant: string, teamId: string, round: string) {
    return `${this.base(tenant)}:tally:${enc(teamId)}:${round}`;
  }
  /** Sorted set of a team's round ids by opening time. */
  teamRounds(tenant: string, teamId: string) {
    return `${this.base(tenant)}:roundlist:${enc(teamId)}`;
  }
  /** The id of the team's open round. */
  openRound(tenant: string, teamId: string) {
    return `${this.base(tenant)}:open:${enc(teamId)}`;
  }
  history(tenant: string, teamId: string, userId: string) {
    return `${this.base(tenant)}:history:${enc(teamId)}:${enc(userId)}`;
  }
  round(tenant: string, teamId: string, round: string) {
    return `${this.base(tenant)}:rnd:${enc(teamId)}:${round}`;
  }
  /** Set of the tenant's team ids. */
  tenantTeams(tenant: string) {
    return `${this.base(tenant)}:teams`;
  }
  /** Sorted set of the tenant's team ids by next round opening (ms). */
  schedule(tenant: string) {
    return `${this.base(tenant)}:schedule`;
  }
  /** List of work that must follow a write (JSON entries), drained by the jobs. */
  outbox(tenant: string) {
    return `${this.base(tenant)}:outbox`;
  }
  /** Set of every tenant that has a team (not tenant-scoped: it lists them). */
  tenants() {
    return `${this.prefix}:tenants`;
  }
  /** A delivery's (or a click's) claim: by a digest of its id, which may carry what a user clicked. */
  delivery(tenant: string, deliveryId: string) {
    return `${this.base(tenant)}:delivery:${createHash("sha256").update(deliveryId).digest("base64url").slice(0, 32)}`;
  }
  prefs(tenant: string, userId: string) {
    return `${this.base(tenant)}:prefs:${enc(userId)}`;
  }
  timezones(tenant: string) {
    return `${this.base(tenant)}:tz`;
  }
  settings(tenant: string) {
    return `${this.base(tenant)}:settings`;
  }
  notices(tenant: string, teamId: string, round: string, kind: string) {
    return `${this.base(tenant)}:notices:${enc(teamId)}:${round}:${kind}`;
  }
  /** Marks a delivery job (by its id, already free of ':') as sent. */
  sent(tenant: string, jobId: string) {
    return `${this.base(tenant)}:sent:${jobId}`;
  }
  /** When a conversation (a user's DM or a channel) last got a message, for its pace. */
  pace(tenant: string, to: string) {
    return `${this.base(tenant)}:pace:${enc(to)}`;
  }
  /** Hash of each user's direct-message channel on a platform, as last seen (user -> channel id). */
  dmChannels(tenant: string, platform: string) {
    return `${this.base(tenant)}:dm:${platform}`;
  }
  deadLetters(tenant: string) {
    return `${this.base(tenant)}:dead`;
  }
  /** Not tenant-scoped: Slack installations are looked up before the tenant is known to be valid. */
  installation(kind: string, id: string) {
    return `${this.prefix}:install:${kind}:${enc(id)}`;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}
