import { type InstallationStore, webApi } from "@slack/bolt";
import { type Notifier, NotifyError, type Sent, type Target } from "../../core/notify.js";
import type { Block, Reply } from "../../core/reply.js";
import { platformApiFetch } from "../../http/keep-alive-fetch.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";
import { SlackApi, SlackApiError } from "./api.js";
import { DmChannels } from "./deliver.js";
import { renderMessage } from "./render/blocks.js";

/** Codes after which a retry cannot help: the conversation, the user or the installation is gone. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "account_inactive",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "user_not_found",
  "user_disabled",
  "cannot_dm_bot",
  "restricted_action",
  "team_access_not_granted",
  "invalid_blocks",
  "invalid_arguments",
  "msg_too_long",
  "no_installation",
]);

/** Hands out a Web API client per workspace: the single-workspace token, or the OAuth installation's. */
export interface SlackClients {
  forTenant(tenant: string): Promise<webApi.WebClient>;
}

export function slackClients(
  source: { token: string } | { installations: InstallationStore },
  options: webApi.WebClientOptions,
): SlackClients {
  // The queue retries (with backoff and Retry-After): the client itself must not wait or retry.
  const clientOptions: webApi.WebClientOptions = {
    fetch: platformApiFetch,
    ...options,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  };
  const byToken = new Map<string, webApi.WebClient>();
  const client = (token: string) => {
    let c = byToken.get(token);
    if (!c) {
      if (byToken.size > 10_000) byToken.clear();
      c = new webApi.WebClient(token, clientOptions);
      byToken.set(token, c);
    }
    return c;
  };
  return {
    async forTenant(tenant) {
      if ("token" in source) return client(source.token);
      const installation = await source.installations
        .fetchInstallation({ teamId: tenant, isEnterpriseInstall: false, enterpriseId: undefined })
        .catch(() => undefined);
      const token = installation?.bot?.token;
      if (!token) throw new NotifyError("permanent", "no_installation");
      return client(token);
    },
  };
}

/** Slack's failure as a NotifyError: rate limited with its Retry-After, temporary, or permanent. */
export function classify(error: unknown): NotifyError {
  if (error instanceof NotifyError) return error;
  if (!(error instanceof SlackApiError)) return new NotifyError("temporary", "internal_error");
  const { code } = error;
  if (code === "ratelimited") return new NotifyError("rate_limited", code, error.retryAfterMs ?? 1000);
  const status = /^http_(\d{3})$/.exec(code);
  if (status) return new NotifyError(Number(status[1]) >= 500 ? "temporary" : "permanent", code);
  return new NotifyError(PERMANENT.has(code) ? "permanent" : "temporary", code);
}

/**
 * The core's Notifier for Slack: a direct message (conversations.open, then chat.postMessage) or a
 * channel post, rendered by the same renderer as replies; a picture is shared into the conversation with
 * the external upload flow (files.getUploadURLExternal, the upload, files.completeUploadExternal).
 */
export class SlackNotifier implements Notifier {
  private readonly dms = new DmChannels();

  constructor(
    private readonly clients: SlackClients,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  async send(target: Target, reply: Reply): Promise<Sent> {
    try {
      const api = new SlackApi(
        await this.clients.forTenant(target.tenant),
        target.tenant,
        this.logger,
        this.metrics,
        true,
      );
      const to = target.to;
      if (to.kind === "channel") return await this.post(api, to.channel, reply, { posted: false });
      // A direct message goes to the channel last seen (the queue's hint, else this process's), opened
      // only when unknown. One that Slack no longer knows is opened again, while nothing went out yet.
      const known = to.channel ?? this.dms.known(api.tenant, to.user);
      const progress = { posted: false };
      if (known) {
        try {
          return { ...(await this.post(api, known, reply, progress)), channel: known };
        } catch (error) {
          if (progress.posted || !(error instanceof SlackApiError && error.code === "channel_not_found")) {
            throw error;
          }
          this.dms.forget(api.tenant, to.user);
        }
      }
      const channel = await this.dms.open(api, to.user);
      return { ...(await this.post(api, channel, reply, progress)), channel };
    } catch (error) {
      throw classify(error);
    }
  }

  /** The message, then each picture; `progress.posted` once anything reached the conversation. */
  private async post(
    api: SlackApi,
    channel: string,
    reply: Reply,
    progress: { posted: boolean },
  ): Promise<Sent> {
    const images = reply.blocks.filter((b): b is Extract<Block, { type: "image" }> => b.type === "image");
    let id: string | undefined;
    // A reply that is only a picture is shared as a file, with no message of its own.
    if (images.length < reply.blocks.length) {
      const result = await api.call("chat.postMessage", { channel, ...renderMessage(reply) });
      progress.posted = true;
      id = typeof result.ts === "string" ? result.ts : undefined;
    }
    for (const image of images) {
      await this.upload(api, channel, image);
      progress.posted = true;
    }
    return { id };
  }

  private async upload(
    api: SlackApi,
    channel: string,
    image: Extract<Block, { type: "image" }>,
  ): Promise<void> {
    const filename = `${image.title.replace(/[^\w.-]+/g, "-").slice(0, 60) || "chart"}.png`;
    const ticket = await api.call("files.getUploadURLExternal", {
      filename,
      length: image.data.byteLength,
      alt_text: image.alt.slice(0, 1000),
    });
    const url = typeof ticket.upload_url === "string" ? ticket.upload_url : undefined;
    const fileId = typeof ticket.file_id === "string" ? ticket.file_id : undefined;
    if (!url || !fileId) throw new SlackApiError("files.getUploadURLExternal", "no_upload_url");
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": image.mime },
        body: Buffer.from(image.data),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new SlackApiError("file upload", "request_failed");
    }
    if (!res.ok) throw new SlackApiError("file upload", `http_${res.status}`);
    await api.call("files.completeUploadExternal", {
      files: [{ id: fileId, title: image.title.slice(0, 250) }],
      channel_id: channel,
    });
  }
}
