import { webApi } from "@slack/bolt";
import { platformApiFetch, platformFetch } from "../../http/keep-alive-fetch.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";

export type WebClient = webApi.WebClient;
export type ApiResult = Record<string, unknown> & { ok?: boolean };

/** A failed Web API call: the method and Slack's error code (never the token or the payload). */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    /** Slack's Retry-After, for a rate-limited call. */
    readonly retryAfterMs?: number,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = "SlackApiError";
  }
}

/** Slack's error code of a failed call: "not_in_channel", "ratelimited", "http_500", "request_failed"… */
export function errorCode(error: unknown): string {
  if (error instanceof SlackApiError) return error.code;
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  switch (e?.code) {
    case webApi.ErrorCode.PlatformError:
      return e.data?.error ?? "platform_error";
    case webApi.ErrorCode.RateLimitedError:
      return "ratelimited";
    case webApi.ErrorCode.HTTPError:
      return `http_${e.statusCode ?? "error"}`;
    case webApi.ErrorCode.RequestError:
      return "request_failed";
    default:
      return error instanceof Error ? error.name : "unknown";
  }
}

/** The Web API methods of the click path, sent directly (see SlackApi.direct). */
const DIRECT = new Set(["chat.update", "chat.postMessage", "chat.postEphemeral"]);
const DIRECT_TIMEOUT_MS = 30_000;

/**
 * The Web API for one event: every call goes through here, so each failure is logged once with its
 * method, error code, tenant and channel, and rethrown as a SlackApiError. Rate-limited calls are
 * retried by the client itself after Retry-After (rejectRateLimitedCalls is off).
 */
export class SlackApi {
  constructor(
    readonly client: WebClient,
    readonly tenant: string,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** Failed calls are the caller's to retry (the jobs' queue): its client retries nothing itself. */
    private readonly callerRetries = false,
  ) {}

  async call(method: string, args: Record<string, unknown> = {}, quiet: string[] = []): Promise<ApiResult> {
    try {
      const sent = DIRECT.has(method) ? await this.direct(method, args) : undefined;
      return sent ?? ((await this.client.apiCall(method, args)) as ApiResult);
    } catch (error) {
      const code = errorCode(error);
      if (!quiet.includes(code)) {
        this.metrics.errors.inc({ where: "slack-api" });
        this.logger.warn("Slack API call failed", {
          method,
          code,
          tenant: this.tenant,
          channel: typeof args.channel === "string" ? args.channel : undefined,
        });
      }
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      throw new SlackApiError(
        method,
        code,
        error instanceof SlackApiError
          ? error.retryAfterMs
          : typeof retryAfter === "number"
            ? retryAfter * 1000
            : undefined,
      );
    }
  }

  /**
   * One JSON POST to the Web API with the client's token and URL, without the client's queue, retry and
   * logging machinery (a third of a click's CPU went there). Slack's answer when it gave one (ok, or its
   * error code). When it gave none (a 429, a 5xx, a lost connection): for a caller that retries by itself
   * (the jobs' queue) the error the client would have given; otherwise undefined (after a 429's
   * Retry-After), and the client makes the call again with its own retry policy.
   */
  private async direct(method: string, args: Record<string, unknown>): Promise<ApiResult | undefined> {
    const token = this.client.token;
    if (!token) return undefined;
    const res = await platformApiFetch(`${this.client.slackApiUrl}${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS),
    }).catch(() => undefined);
    const answer =
      res?.status === 200 ? ((await res.json().catch(() => undefined)) as ApiResult | undefined) : undefined;
    if (answer?.ok === true) return answer;
    if (answer?.ok === false && typeof answer.error === "string")
      throw new SlackApiError(method, answer.error);
    const retryAfter = Number(res?.headers.get("retry-after") ?? Number.NaN);
    const waitMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined;
    if (!this.callerRetries) {
      // Slack asked to wait: the client's call comes after the wait, as the client's own retry would.
      if (res?.status === 429) await new Promise((resolve) => setTimeout(resolve, waitMs ?? 1000));
      return undefined;
    }
    if (!res) throw new SlackApiError(method, "request_failed");
    if (res.status === 429) throw new SlackApiError(method, "ratelimited", waitMs);
    throw new SlackApiError(method, `http_${res.status}`);
  }

  /** Posts to a response_url (a slash command's or a button's): JSON, 5 s at most. */
  async respond(url: string, body: Record<string, unknown>): Promise<void> {
    let code: string | undefined;
    try {
      const res = await platformFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      if (!res.ok) code = `http_${res.status}`;
      else if (text.startsWith("{")) {
        const parsed = JSON.parse(text) as { ok?: boolean; error?: string };
        if (parsed.ok === false) code = parsed.error ?? "error";
      }
    } catch (error) {
      code = error instanceof Error && error.name === "TimeoutError" ? "timeout" : "request_failed";
    }
    if (code) {
      this.metrics.errors.inc({ where: "slack-api" });
      this.logger.warn("Slack API call failed", { method: "response_url", code, tenant: this.tenant });
      throw new SlackApiError("response_url", code);
    }
  }
}
