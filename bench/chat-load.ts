import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { SIGNING_SECRET } from "../test/support/fake-slack.js";
import { type BenchRow, compared, percentile } from "./table.js";

/**
 * A chat platform's click path under load, beside a bare app of the same SDK (Slack: a Bolt app whose
 * one listener only acks; Teams: a CloudAdapter echo bot): each server in its own process running the
 * built code, the load generator in a third, the lean fake platform API here. Per run and server: 50
 * and 200 people clicking every 2-4 s, a fixed 100 clicks a second, and a closed loop of 64 in flight
 * (throughput, CPU per request, resident memory). Three runs, medians.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PEOPLE = 200;
const PHASE_SECONDS = Number(process.env.BENCH_SLACK_SECONDS ?? 6);
const IN_FLIGHT = 64;

type Kind = "ours" | "bare";

/** One platform's servers, its lean fake and the names of what is measured. */
export interface ChatPlatform {
  platform: "slack" | "teams";
  /** The server script (bench/*.mjs); its arguments are kind, the fake's URL, people, then `args`. */
  server: string;
  args: string[];
  baseline: string;
  /** What one request is called in the figures ("click", "card submit"). */
  unit: string;
  fake(): Promise<{ url: string; close(): Promise<void> }>;
}

interface Ready {
  url: string;
  team?: string;
  round?: string;
  keys?: string[];
  tenant?: string;
}
interface Phase {
  p50: number;
  p99: number;
  perSecond: number;
  cpuMs: number;
  rssMb: number;
  failed: number;
}
const PHASES = ["users50", "users200", "rate100", "closed"] as const;
type PhaseName = (typeof PHASES)[number];

const script = (name: string) => new URL(`./${name}`, import.meta.url).pathname;

function once<T>(child: ChildProcess, match: (m: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (match(m as Record<string, unknown>)) {
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`a benchmark process exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function phase(
  chat: ChatPlatform,
  server: ChildProcess,
  ready: Ready,
  name: PhaseName,
  fakeUrl: string,
): Promise<Phase> {
  const [shape, n] =
    name === "users50"
      ? ["users", 50]
      : name === "users200"
        ? ["users", 200]
        : name === "rate100"
          ? ["rate", 100]
          : ["closed", IN_FLIGHT];
  server.send({ type: "window" });
  await once(server, (m) => m.type === "window");
  const plan = {
    platform: chat.platform,
    url: ready.url,
    shape,
    n,
    seconds: PHASE_SECONDS,
    team: ready.team ?? "CLOAD",
    round: ready.round ?? "2026-Q1",
    keys: ready.keys ?? ["q1"],
    people: PEOPLE,
    secret: SIGNING_SECRET,
    fakeUrl: chat.platform === "slack" ? new URL("/response-url", fakeUrl).toString() : fakeUrl,
    tenant: ready.tenant ?? "T1",
  };
  const load = fork(script("load.ts"), [JSON.stringify(plan)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await once(load, (m) => m.type === "signed");
  load.send({ type: "go" });
  const done = await once<{ latencies: number[]; failed: number; seconds: number }>(
    load,
    (m) => m.type === "done",
  );
  server.send({ type: "window" });
  const window = await once<{ cpuMs: number; rssMb: number }>(server, (m) => m.type === "window");
  const sorted = done.latencies.sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    perSecond: sorted.length / done.seconds,
    cpuMs: window.cpuMs / Math.max(1, sorted.length),
    rssMb: window.rssMb,
    failed: done.failed,
  };
}

async function serve(chat: ChatPlatform, kind: Kind, fakeUrl: string): Promise<Record<PhaseName, Phase>> {
  // BENCH_CPU_PROF=<dir>: profile the servers (node --cpu-prof), one file per server process.
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const server = fork(script(chat.server), [kind, fakeUrl, String(PEOPLE), ...chat.args], {
    execArgv: profile,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const ready = await once<Ready>(server, (m) => m.ready === true);
    const out = {} as Record<PhaseName, Phase>;
    for (const name of PHASES) out[name] = await phase(chat, server, ready, name, fakeUrl);
    return out;
  } finally {
    server.send({ type: "stop" });
    await new Promise((r) => server.once("exit", r));
  }
}

export async function benchChat(chat: ChatPlatform): Promise<BenchRow[]> {
  // The servers run the built code, as `npm start` does.
  const build = spawnSync(process.execPath, [script("../scripts/build.mjs"), "--if-stale"], {
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("npm run build failed");
  const fake = await chat.fake();
  const runs: Record<Kind, Record<PhaseName, Phase>[]> = { ours: [], bare: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      runs.ours.push(await serve(chat, "ours", fake.url));
      runs.bare.push(await serve(chat, "bare", fake.url));
    }
  } finally {
    await fake.close();
  }
  const pick = (kind: Kind, name: PhaseName, f: keyof Phase) => runs[kind].map((r) => r[name][f]);
  const row = (
    label: string,
    unit: string,
    name: PhaseName,
    f: keyof Phase,
    target?: { text: string; ok: (v: number, b?: number) => boolean },
  ) =>
    compared(
      label,
      unit,
      pick("ours", name, f),
      { name: chat.baseline, runs: pick("bare", name, f) },
      target,
    );
  const failures = PHASES.flatMap((p) => pick("ours", p, "failed")).reduce((a, b) => a + b, 0);
  // The issue's targets are the Slack path's; Teams is measured the same way, beside its own baseline.
  const slack = chat.platform === "slack";
  const goal = (text: string, ok: (v: number, b?: number) => boolean) => (slack ? { text, ok } : undefined);
  const u = chat.unit;
  const answer = slack ? "ack" : "response";
  return [
    row(`${answer} p50, 50 people at 2-4 s`, "ms", "users50", "p50"),
    row(`${answer} p99, 50 people at 2-4 s`, "ms", "users50", "p99"),
    row(`${answer} p50, 200 people at 2-4 s`, "ms", "users200", "p50"),
    row(
      `${answer} p99, 200 people at 2-4 s`,
      "ms",
      "users200",
      "p99",
      goal("< 50 ms", (v) => v < 50),
    ),
    row(`${answer} p50, 100 ${u}s/s`, "ms", "rate100", "p50"),
    row(`${answer} p99, 100 ${u}s/s`, "ms", "rate100", "p99"),
    row(`CPU per ${u}, 100 ${u}s/s (work after the ${answer} included)`, "ms", "rate100", "cpuMs"),
    row(
      `${u}s per second, ${IN_FLIGHT} in flight`,
      "/s",
      "closed",
      "perSecond",
      goal(">= 1000/s", (v) => v >= 1000),
    ),
    row(
      `CPU per ${u}, ${IN_FLIGHT} in flight (work after the ${answer} included)`,
      "ms",
      "closed",
      "cpuMs",
      goal("<= 2x bare", (v, b) => b !== undefined && v <= 2 * b),
    ),
    row(
      `resident memory, peak, ${IN_FLIGHT} in flight`,
      "MB",
      "closed",
      "rssMb",
      goal("< 200 MB", (v) => v < 200),
    ),
    {
      name: `failed or refused ${u}s (ours, all runs)`,
      value: failures,
      unit: "",
      target: "0",
      ok: failures === 0,
    },
  ];
}
