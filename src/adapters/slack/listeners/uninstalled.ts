import type { App, InstallationStore } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";

/** A workspace removed the app: forget its installation (multi-workspace installs only). */
export function register(app: App, deps: SlackDeps & { installations?: InstallationStore }): void {
  const { installations } = deps;
  if (!installations?.deleteInstallation) return;
  app.event("app_uninstalled", async ({ body }) => {
    const b = body as { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean };
    await installations.deleteInstallation!({
      teamId: b.team_id,
      enterpriseId: b.enterprise_id,
      isEnterpriseInstall: Boolean(b.is_enterprise_install),
    } as Parameters<NonNullable<InstallationStore["deleteInstallation"]>>[0]).catch((error: unknown) =>
      deps.logger.warn("could not delete a Slack installation", { error, tenant: b.team_id }),
    );
    deps.logger.info("Slack app uninstalled", { tenant: b.team_id });
  });
}
