import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { RedisClient } from "../../store/client.js";
import type { Keys } from "../../store/keys.js";
import { isSealed, type SealingKey, seal, unseal } from "../../store/sealed.js";

/**
 * Multi-workspace installs, one record per workspace (or per organisation for an org-wide install) under
 * the app's KEY_PREFIX. Records hold bot tokens, so they are sealed (AES-256-GCM, INSTALLATION_KEY) and
 * bound to their Redis key: one workspace's record cannot be copied over another's.
 */
export class RedisInstallationStore implements InstallationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ring: SealingKey[],
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key =
      installation.isEnterpriseInstall && installation.enterprise
        ? this.keys.installation("enterprise", installation.enterprise.id)
        : installation.team
          ? this.keys.installation("team", installation.team.id)
          : undefined;
    if (!key) throw new Error("an installation without a team or an enterprise cannot be stored");
    await this.redis.set(key, seal(this.ring, JSON.stringify(installation), key));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = this.keyOf(query);
    const raw = key ? await this.redis.get(key) : null;
    if (!raw)
      throw new Error(
        `no installation for ${query.isEnterpriseInstall ? "enterprise" : "team"} ${query.enterpriseId ?? query.teamId ?? "?"}`,
      );
    const what = `the installation of ${query.isEnterpriseInstall ? "enterprise" : "team"} ${query.enterpriseId ?? query.teamId}`;
    const record = JSON.parse(raw) as unknown;
    if (isSealed(record)) return JSON.parse(unseal(this.ring, record, key!, what)) as Installation;
    // Stored before records were sealed: seal it now.
    await this.redis.set(key!, seal(this.ring, raw, key!));
    return record as Installation;
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
