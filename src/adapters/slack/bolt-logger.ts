import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../observability/logger.js";

/** Bolt's and the Web API client's logs go through our logger (one-line JSON, tokens scrubbed). */
export function boltLogger(logger: Logger, level: "debug" | "info" | "warn" | "error"): BoltLogger {
  let current = level as LogLevel;
  const line = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : safeJson(m)))
      .join(" ")
      .slice(0, 2000);
  const child = logger.child({ source: "bolt" });
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current ?? LogLevel.INFO,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
