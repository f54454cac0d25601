import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Redis } from "ioredis";
import type { Keys } from "../../store/keys.js";

/**
 * Multi-workspace installs, one JSON record per workspace (or per organisation for an org-wide install)
 * under the app's KEY_PREFIX. The record holds the bot token: Redis must be private to the app.
 */
export class RedisInstallationStore implements InstallationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key =
      installation.isEnterpriseInstall && installation.enterprise
        ? this.keys.installation("enterprise", installation.enterprise.id)
        : installation.team
          ? this.keys.installation("team", installation.team.id)
          : undefined;
    if (!key) throw new Error("an installation without a team or an enterprise cannot be stored");
    await this.redis.set(key, JSON.stringify(installation));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = this.keyOf(query);
    const raw = key ? await this.redis.get(key) : null;
    if (!raw)
      throw new Error(
        `no installation for ${query.isEnterpriseInstall ? "enterprise" : "team"} ${query.enterpriseId ?? query.teamId ?? "?"}`,
      );
    return JSON.parse(raw) as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = this.keyOf(query);
    if (key) await this.redis.del(key);
  }

  private keyOf(query: InstallationQuery<boolean>): string | undefined {
    if (query.isEnterpriseInstall && query.enterpriseId)
      return this.keys.installation("enterprise", query.enterpriseId);
    if (query.teamId) return this.keys.installation("team", query.teamId);
    return undefined;
  }
}
