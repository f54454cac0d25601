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
  teamRounds(tenant: string, teamId: string) {
    return `${this.base(tenant)}:rounds:${enc(teamId)}`;
  }
  history(tenant: string, teamId: string, userId: string) {
    return `${this.base(tenant)}:history:${enc(teamId)}:${enc(userId)}`;
  }
  round(tenant: string, teamId: string, round: string) {
    return `${this.base(tenant)}:round:${enc(teamId)}:${round}`;
  }
  delivery(tenant: string, deliveryId: string) {
    return `${this.base(tenant)}:delivery:${enc(deliveryId)}`;
  }
  /** Not tenant-scoped: Slack installations are looked up before the tenant is known to be valid. */
  installation(kind: string, id: string) {
    return `${this.prefix}:install:${kind}:${enc(id)}`;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}
