/**
 * One error model. A coded error knows whether the user caused it and what the user is told; anything
 * else is a bug, which users see as a short apology with a reference while the details go to the log.
 */
export type ErrorCode =
  | "storage_unavailable"
  | "storage_conflict"
  | "team_too_large"
  | "invalid_input"
  | "forbidden"
  | "not_found"
  | "platform_unavailable"
  | "internal";

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** What the user is told. */
    readonly userMessage: string,
    /** Whether the user's own input caused it (a wrong command), as opposed to our side or a platform. */
    readonly userCaused = false,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${userMessage}`, options);
    this.name = "BotError";
  }
}

/** Redis (or another store) did not answer. Nothing was changed by the failed step. */
export class StorageUnavailableError extends BotError {
  constructor(cause?: unknown) {
    super(
      "storage_unavailable",
      "I couldn't reach my storage just now. Nothing was lost: everything you answered before is saved. Please try again in a moment.",
      false,
      { cause },
    );
    this.name = "StorageUnavailableError";
  }
}

export interface ErrorView {
  code: ErrorCode;
  /** What the user sees. */
  message: string;
  /** Whether it is worth an error-level log line (our fault); user mistakes are logged at debug. */
  severe: boolean;
}

/** What the user sees for any error, and how loudly to log it. `ref` names the event in the logs. */
export function describeError(error: unknown, ref?: string): ErrorView {
  if (error instanceof BotError) {
    return {
      code: error.code,
      message: error.userMessage,
      severe: !error.userCaused && error.code !== "storage_unavailable",
    };
  }
  return {
    code: "internal",
    message: `Sorry, something went wrong on my side and I couldn't finish that. It has been logged${ref ? ` (reference ${ref.slice(0, 40)})` : ""}; please try again.`,
    severe: true,
  };
}
