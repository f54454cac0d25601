/** JSON logs through pino, one line each; secrets never reach them (pino's redact, plus token-shaped strings). */
import { createRequire } from "node:module";
import { type DestinationStream, multistream, type Logger as PinoLogger, pino, stdTimeFunctions } from "pino";
import { currentRequest } from "./context.js";

export type Level = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Human-readable lines (development): used only when pino-pretty, a dev dependency, is installed. */
  pretty?: boolean;
  /** Where lines go; default: stdout, with warn and error on stderr. */
  destination?: DestinationStream;
}

/** Fields whose values are secrets, at the top level and one level down (e.g. headers.authorization). */
const SECRET_FIELDS = [
  "token",
  "botToken",
  "appToken",
  "accessToken",
  "refreshToken",
  "secret",
  "signingSecret",
  "clientSecret",
  "stateSecret",
  "password",
  "appPassword",
  "installationKey",
  "authorization",
  "cookie",
  "signature",
  "x-slack-signature",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
  "MICROSOFT_APP_PASSWORD",
  "INSTALLATION_KEY",
];
export const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const nested = key.startsWith("[") ? `*${key}` : `*.${key}`;
  return [key, nested, `*.headers${key.startsWith("[") ? key : `.${key}`}`];
});

export function createLogger(
  level: Level = "info",
  base: Record<string, unknown> = {},
  silent = false,
  options: LoggerOptions = {},
): Logger {
  const logger = pino(
    {
      level: silent ? "silent" : level,
      base,
      messageKey: "message",
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubStrings(object),
      },
      serializers: { error: serializeError, err: serializeError },
      mixin: () => {
        const request = currentRequest();
        return request ? { requestId: request.requestId } : {};
      },
    },
    options.destination ?? (options.pretty ? prettyStream() : undefined) ?? defaultStreams(),
  );
  return wrap(logger);
}

export const silentLogger: Logger = createLogger("error", {}, true);

/** The message goes first in the object (after level and time) so that a line reads from its start. */
function wrap(logger: PinoLogger): Logger {
  return {
    debug: (message, context) => logger.debug({ message, ...context }),
    info: (message, context) => logger.info({ message, ...context }),
    warn: (message, context) => logger.warn({ message, ...context }),
    error: (message, context) => logger.error({ message, ...context }),
    child: (context) => wrap(logger.child(context)),
  };
}

/** stdout for debug and info, stderr for warn and error (dedupe: each line goes to one stream). */
function defaultStreams(): DestinationStream {
  return multistream(
    [
      { level: "debug", stream: process.stdout },
      { level: "warn", stream: process.stderr },
    ],
    { dedupe: true },
  );
}

function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = createRequire(import.meta.url)("pino-pretty") as (options: object) => DestinationStream;
    return pretty({ messageKey: "message", translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" });
  } catch {
    return undefined; // not installed (a production install): plain JSON
  }
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return {
    name: value.name,
    message: scrub(value.message),
    ...(code !== undefined ? { code } : {}),
    ...(value.stack ? { stack: scrub(value.stack) } : {}),
  };
}

function scrubStrings(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object))
    out[key] = typeof value === "string" ? scrub(value) : value;
  return out;
}

/** Token-shaped strings (Slack tokens, bearer headers) never reach a log line, whatever the field. */
export function scrub(text: string): string {
  return text
    .replace(/xox[abprs]-[A-Za-z0-9-]+/g, "xox?-[redacted]")
    .replace(/xapp-[A-Za-z0-9-]+/g, "xapp-[redacted]")
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]");
}
