import { z } from "zod";
import { parseKeyring, type SealingKey } from "../store/sealed.js";

/** The one place that reads process.env: parsed once at start, every problem named with its fix. */

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const port = z.coerce
  .number({ message: "must be a port number (1-65535)" })
  .int("must be a port number (1-65535)")
  .min(1, "must be a port number (1-65535)")
  .max(65535, "must be a port number (1-65535)");

const schema = z.object({
  PORT: port.default(3000),
  METRICS_PORT: z.preprocess((v) => (v === "" ? undefined : v), port.optional()),
  /** Unset: use the Redis on 127.0.0.1:LOCAL_REDIS_PORT, or start a local redis-server there. */
  REDIS_URL: optional.refine(
    (v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v),
    "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379",
  ),
  /** A Redis Cluster instead of one Redis: its seed nodes (ioredis discovers the rest). */
  REDIS_CLUSTER_NODES: optional,
  LOCAL_REDIS_PORT: port.default(6379),
  KEY_PREFIX: z
    .string()
    .trim()
    .default("mb")
    .refine(
      (v) => /^[A-Za-z0-9_.-]{1,32}$/.test(v),
      "use 1-32 letters, digits, '.', '_' or '-' (no ':' or spaces)",
    ),
  ROLE: z.enum(["web", "worker", "all"], { message: "must be web, worker or all" }).default("all"),
  NODE_ENV: optional,
  PLAYGROUND: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.enum(["auto", "on", "off"], { message: "must be auto, on or off" }).default("auto"),
  ),
  HOST: optional,
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error"], { message: "must be debug, info, warn or error" })
    .default("info"),
  /** How long a job's lock lasts (a dead worker's jobs go to another after it); stalled jobs are looked for at half. */
  JOBS_LOCK_MS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce
      .number({ message: "must be a number of milliseconds (1000-600000)" })
      .int("must be a number of milliseconds (1000-600000)")
      .min(1000, "must be a number of milliseconds (1000-600000)")
      .max(600_000, "must be a number of milliseconds (1000-600000)")
      .optional(),
  ),
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC"),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.refine(
    (v) => v === undefined || v.startsWith("xoxb-"),
    "must be a bot token (xoxb-...)",
  ),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  INSTALLATION_KEY: optional,
  SLACK_APP_TOKEN: optional.refine(
    (v) => v === undefined || v.startsWith("xapp-"),
    "must be an app-level token (xapp-...)",
  ),
  SLACK_API_URL: optional.refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    "must be an http(s) URL such as https://slack.com/api/",
  ),
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: optional.pipe(
    z
      .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
        message: "must be MultiTenant, SingleTenant or UserAssignedMSI",
      })
      .optional(),
  ),
});

export type Env = z.infer<typeof schema>;

/** Every variable the configuration reads (.env.example documents each). */
export const VARIABLES = Object.keys(schema.shape);

export interface SlackConfig {
  signingSecret: string;
  botToken?: string;
  appToken?: string;
  apiUrl?: string;
  oauth?: {
    clientId: string;
    clientSecret: string;
    stateSecret: string;
    /** Seal stored installations: the first encrypts, all decrypt. */
    installationKeys: SealingKey[];
  };
}

export interface TeamsConfig {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
}

/** A Redis Cluster: seed nodes (any reachable master or replica), and what every node is reached with. */
export interface RedisClusterConfig {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  /** rediss:// nodes: TLS to every node. */
  tls: boolean;
}

export interface Config {
  port: number;
  /** Serve /metrics on this port instead of `port`. */
  metricsPort?: number;
  redisUrl: string;
  /** Set from REDIS_CLUSTER_NODES: connect to a Redis Cluster instead of redisUrl. */
  redisCluster?: RedisClusterConfig;
  /** Set when REDIS_URL is not: the port of the local Redis to use, or to start (see src/runtime/local-redis.ts). */
  localRedisPort?: number;
  keyPrefix: string;
  /** BullMQ's job lock, in ms (its default, 30 s, when unset). */
  jobsLockMs?: number;
  role: "web" | "worker" | "all";
  production: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  defaultTimezone: string;
  /** Whether the local playground (web chat, no sign-in) is served. */
  playground: boolean;
  /** The interface to listen on; undefined: all of them. Loopback while the playground is served. */
  host?: string;
  slack?: SlackConfig;
  teams?: TeamsConfig;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly fix: string,
  ) {
    super(`${variable}: ${fix}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws a ConfigError naming the first bad variable and how to fix it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const slack = slackConfig(e);
  const teams = teamsConfig(e);
  if (production && !slack && !teams) {
    throw new ConfigError(
      "NODE_ENV",
      "production needs a chat platform: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD",
    );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(
      "METRICS_PORT",
      `must differ from PORT (${e.PORT}), or leave it unset to serve /metrics on PORT`,
    );
  }
  if (production && e.PLAYGROUND === "on") {
    throw new ConfigError(
      "PLAYGROUND",
      "on is not allowed with NODE_ENV=production: the playground has no sign-in; use auto or off",
    );
  }
  const redisCluster = clusterConfig(e.REDIS_CLUSTER_NODES);
  if (redisCluster && e.REDIS_URL !== undefined) {
    throw new ConfigError(
      "REDIS_CLUSTER_NODES",
      "set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both",
    );
  }
  const playground = !production && (e.PLAYGROUND === "on" || (e.PLAYGROUND === "auto" && !slack && !teams));
  return {
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    redisUrl: e.REDIS_URL ?? `redis://127.0.0.1:${e.LOCAL_REDIS_PORT}`,
    ...(redisCluster ? { redisCluster } : {}),
    localRedisPort: e.REDIS_URL === undefined && !redisCluster ? e.LOCAL_REDIS_PORT : undefined,
    keyPrefix: e.KEY_PREFIX,
    jobsLockMs: e.JOBS_LOCK_MS,
    role: e.ROLE,
    production,
    logLevel: e.LOG_LEVEL,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    playground,
    host: e.HOST ?? (playground ? "127.0.0.1" : undefined),
    slack,
    teams,
  };
}

const CLUSTER_NODES_FIX =
  "list the cluster's nodes as host:port separated by commas, e.g. redis-1:6379,redis-2:6379 (or redis://user:password@host:port, rediss:// for TLS)";

/** `host:port` or `redis[s]://[user:password@]host:port` items; credentials and TLS apply to every node. */
function clusterConfig(value: string | undefined): RedisClusterConfig | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const urls = items.map((item) => {
    try {
      const url = new URL(/^[a-z]+:\/\//i.test(item) ? item : `redis://${item}`);
      const ok =
        (url.protocol === "redis:" || url.protocol === "rediss:") &&
        url.hostname !== "" &&
        url.port !== "" &&
        (url.pathname === "" || url.pathname === "/");
      return ok ? url : undefined;
    } catch {
      return undefined;
    }
  });
  if (urls.length === 0 || urls.some((url) => url === undefined)) {
    throw new ConfigError("REDIS_CLUSTER_NODES", CLUSTER_NODES_FIX);
  }
  const nodes = urls as URL[];
  const tls = nodes[0]!.protocol === "rediss:";
  if (nodes.some((url) => (url.protocol === "rediss:") !== tls)) {
    throw new ConfigError("REDIS_CLUSTER_NODES", "use redis:// for every node or rediss:// for every node");
  }
  const withCredentials = nodes.find((url) => url.username || url.password);
  return {
    nodes: nodes.map((url) => ({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port) })),
    ...(withCredentials?.username ? { username: decodeURIComponent(withCredentials.username) } : {}),
    ...(withCredentials?.password ? { password: decodeURIComponent(withCredentials.password) } : {}),
    tls,
  };
}

function slackConfig(e: Env): SlackConfig | undefined {
  const oauthParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const any = e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || oauthParts.some(Boolean);
  if (!any) return undefined;
  if (!e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      "SLACK_SIGNING_SECRET",
      "is required for Slack: copy it from your app's Basic Information page",
    );
  }
  if (oauthParts.some(Boolean) && !oauthParts.every(Boolean)) {
    const missing = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"].find(
      (_, i) => !oauthParts[i],
    )!;
    throw new ConfigError(
      missing,
      "multi-workspace install needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together",
    );
  }
  const oauth = oauthParts.every(Boolean)
    ? {
        clientId: e.SLACK_CLIENT_ID!,
        clientSecret: e.SLACK_CLIENT_SECRET!,
        stateSecret: e.SLACK_STATE_SECRET!,
        installationKeys: installationKeys(e.INSTALLATION_KEY),
      }
    : undefined;
  if (!e.SLACK_BOT_TOKEN && !oauth) {
    throw new ConfigError(
      "SLACK_BOT_TOKEN",
      "is required for a single-workspace install (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth)",
    );
  }
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    oauth,
  };
}

const MAKE_KEY =
  "make one with `openssl rand -base64 32`; to rotate, list the new key first: k2:<new>,k1:<old>";

function installationKeys(value: string | undefined): SealingKey[] {
  if (!value) {
    throw new ConfigError(
      "INSTALLATION_KEY",
      `is required with Slack OAuth (it encrypts the stored bot tokens): ${MAKE_KEY}`,
    );
  }
  try {
    return parseKeyring(value);
  } catch (error) {
    throw new ConfigError("INSTALLATION_KEY", `${(error as Error).message}; ${MAKE_KEY}`);
  }
}

function teamsConfig(e: Env): TeamsConfig | undefined {
  // MICROSOFT_APP_TYPE alone (it has a default) does not turn Teams on: an id, password or tenant does.
  const any = e.MICROSOFT_APP_ID || e.MICROSOFT_APP_PASSWORD || e.MICROSOFT_APP_TENANT_ID;
  if (!any) return undefined;
  if (!e.MICROSOFT_APP_ID) {
    throw new ConfigError("MICROSOFT_APP_ID", "is required for Teams: the Azure Bot's Microsoft App ID");
  }
  const appType = e.MICROSOFT_APP_TYPE ?? "MultiTenant";
  if (appType !== "UserAssignedMSI" && !e.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError(
      "MICROSOFT_APP_PASSWORD",
      "is required for Teams: a client secret of the bot's app registration",
    );
  }
  if (appType === "UserAssignedMSI" && e.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError(
      "MICROSOFT_APP_PASSWORD",
      "must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI (the managed identity signs in without a secret)",
    );
  }
  if (appType === "SingleTenant" && !e.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError("MICROSOFT_APP_TENANT_ID", "is required when MICROSOFT_APP_TYPE is SingleTenant");
  }
  return {
    appId: e.MICROSOFT_APP_ID,
    appPassword: e.MICROSOFT_APP_PASSWORD,
    tenantId: e.MICROSOFT_APP_TENANT_ID,
    appType,
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
