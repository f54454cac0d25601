import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { type FakeSlack, findButton, SIGNING_SECRET } from "./fake-slack.js";
import { stopProcess, waitFor } from "./processes.js";

/** The bot as production runs it, `node dist/main.js`, in processes of their own, talking to a fake Slack. */

export const ROOT = new URL("../../", import.meta.url).pathname;
const ENTRY = path.join(ROOT, "dist", "main.js");

/** `npm test` builds first; a file run alone builds when the sources are newer than dist/. */
export function buildDist(): void {
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs"), "--if-stale"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });
  expect(build.status, build.stderr).toBe(0);
}

/** A bot process's variables: its port, one Redis and key prefix, Slack pointed at the fake with a bot token. */
export function botEnv(run: {
  port: number;
  redisUrl: string;
  prefix: string;
  token: string;
  fake: FakeSlack;
}): Record<string, string> {
  return {
    PORT: String(run.port),
    REDIS_URL: run.redisUrl,
    KEY_PREFIX: run.prefix,
    SLACK_BOT_TOKEN: run.token,
    SLACK_API_URL: run.fake.apiUrl,
  };
}

export class BotProcesses {
  readonly output: string[] = [];
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly env: () => Record<string, string>) {}

  /** Starts `node dist/main.js` with a role, Slack pointed at the fake, and this run's variables (and `env`'s). */
  start(role: "web" | "worker" | "all", env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "",
        ROLE: role,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PLAYGROUND: "off",
        LOG_LEVEL: "warn",
        ...this.env(),
        ...env,
      },
    });
    child.stdout?.on("data", (d) => this.output.push(`[${role}] ${d}`));
    child.stderr?.on("data", (d) => this.output.push(`[${role}] ${d}`));
    this.running.add(child);
    child.once("exit", () => this.running.delete(child));
    return child;
  }

  /** Waits for a condition; on a time-out, says what the processes printed last. */
  async until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    try {
      await waitFor(what, check, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.output.join("").slice(-3000)}`);
    }
  }

  async stopAll(): Promise<void> {
    for (const p of [...this.running]) await stopProcess(p);
  }
}

/** The process's exit: its code (null when a signal killed it) and when it happened (Date.now()). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, at: Date.now() });
  }
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, at: Date.now() })));
}

/** The nudges a member has received in their direct message. */
export function nudgesOf(fake: FakeSlack, user: string) {
  return fake.messagesIn(`D${user}`).filter((m) => /check-in is open/.test(m.text ?? ""));
}

/** The nudge's Start button, as a member's client would send it back. */
export function startButton(fake: FakeSlack, user: string) {
  const nudge = nudgesOf(fake, user).at(-1)!;
  return { nudge, button: findButton(nudge.blocks, (b) => /^Start/.test(b.text.text)) };
}
