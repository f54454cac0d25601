/**
 * The operator's command line:
 *   npm run --silent jobs -- status [--json]     schedulers with their next opening, queue counts, dead letters
 *   npm run jobs -- run <tenant>/<team> --now     open that team's round now and nudge its members (as `round start`)
 */
import { parseArgs } from "node:util";
import { loadEnvFile } from "../src/config/env-file.js";
import { ConfigError, loadConfig } from "../src/config/index.js";
import { QuestionBank } from "../src/core/assessment/bank.js";
import { systemClock } from "../src/core/conversation/ports.js";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { loadKnowledge } from "../src/core/knowledge/load.js";
import { Notifiers } from "../src/core/notify.js";
import { openRound } from "../src/core/rounds/lifecycle.js";
import { silentLogger } from "../src/observability/logger.js";
import { Metrics } from "../src/observability/metrics.js";
import { createRedisClient } from "../src/store/client.js";
import { RedisStore } from "../src/store/redis-store.js";
import type { JobDeps } from "./context.js";
import { Queues } from "./queues.js";
import { nudgeMembers } from "./rounds.js";
import { jobsStatus } from "./schedulers.js";

const USAGE = "usage: npm run --silent jobs -- status [--json] | run <tenant>/<team> --now";

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean", default: false }, now: { type: "boolean", default: false } },
});
const [verb, target] = positionals;
if (verb !== "status" && verb !== "run") fail(USAGE);

let config: ReturnType<typeof loadConfig>;
try {
  loadEnvFile(".env");
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(`jobs: ${error.message}`, 78);
  throw error;
}
const redis = createRedisClient(config, {
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  retryStrategy: () => null,
});
redis.on("error", () => undefined);
const store = new RedisStore(redis, config.keyPrefix);
const queues = new Queues({ keyPrefix: config.keyPrefix, connection: redis });

async function main(): Promise<number> {
  if (verb === "status") {
    const status = await jobsStatus(queues, store);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(status)}\n`);
      return 0;
    }
    const lines = ["Schedulers (next opening in the team's time zone):"];
    for (const s of status.schedulers) lines.push(`  ${s.tenant}/${s.team}  ${s.next}  ${s.timezone}`);
    if (status.schedulers.length === 0) lines.push("  none");
    lines.push("", "Queues:       waiting  active  delayed  failed");
    for (const [name, c] of Object.entries(status.queues)) {
      lines.push(
        `  ${name.padEnd(11)} ${String(c.waiting).padStart(7)} ${String(c.active).padStart(7)} ${String(c.delayed).padStart(8)} ${String(c.failed).padStart(7)}`,
      );
    }
    lines.push("", `Dead letters: ${status.deadLetters}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
  const match = /^([^/]+)\/(.+)$/.exec(target ?? "");
  if (!match || !values.now) fail(USAGE);
  const [, tenant, teamId] = match;
  const team = await store.getTeam(tenant!, teamId!);
  if (!team) fail(`jobs: no team ${teamId} in ${tenant} (KEY_PREFIX=${config.keyPrefix})`, 1);
  const { kb } = await loadKnowledge();
  const deps: JobDeps = {
    store,
    knowledge: new AnswerEngine(kb),
    bank: new QuestionBank(kb),
    clock: systemClock,
    notifier: new Notifiers(),
    queues,
    logger: silentLogger,
    metrics: new Metrics(),
  };
  const outcome = await openRound(deps, team, "lead");
  const nudged = await nudgeMembers(deps, team, outcome.round, true);
  process.stdout.write(
    `${outcome.status === "opened" ? "opened" : "already open"}: ${outcome.round.id} for ${tenant}/${teamId}; ${nudged} member(s) without a completed assessment are nudged by the workers\n`,
  );
  return 0;
}

main()
  .then(
    (code) => code,
    (error: unknown) => {
      process.stderr.write(`jobs: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await queues.close().catch(() => undefined);
    redis.disconnect();
    process.exit(code);
  });
