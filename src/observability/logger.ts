/** One-line JSON logs on stdout/stderr. Secrets never reach them: known secret fields are redacted. */
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEYS = /token|secret|password|authorization|signature|cookie/i;

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

export function createLogger(
  level: Level = "info",
  base: Record<string, unknown> = {},
  silent = false,
): Logger {
  const write = (at: Level, message: string, context?: Record<string, unknown>) => {
    if (silent || ORDER[at] < ORDER[level]) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level: at,
      message,
      ...redact({ ...base, ...context }),
    });
    (at === "error" || at === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return {
    debug: (m, c) => write("debug", m, c),
    info: (m, c) => write("info", m, c),
    warn: (m, c) => write("warn", m, c),
    error: (m, c) => write("error", m, c),
    child: (context) => createLogger(level, { ...base, ...context }, silent),
  };
}

export const silentLogger: Logger = createLogger("error", {}, true);

function redact(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key)) out[key] = "[redacted]";
    else if (v instanceof Error) out[key] = { name: v.name, message: scrub(v.message) };
    else if (typeof v === "string") out[key] = scrub(v);
    else out[key] = v;
  }
  return out;
}

/** Token-shaped strings (Slack tokens, bearer headers) never reach a log line. */
function scrub(text: string): string {
  return text
    .replace(/xox[abprs]-[A-Za-z0-9-]+/g, "xox?-[redacted]")
    .replace(/Bearer\s+[A-Za-z0-9._-]+/g, "Bearer [redacted]");
}
