import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { BOT_TOKEN, SIGNING_SECRET } from "../test/support/fake-slack.js";
import { LeanSlack } from "./lean-slack.js";
import { type BenchRow, compared, percentile } from "./table.js";

/**
 * The Slack path under load, beside a bare Bolt app (same version and receiver, a listener that only
 * acks): each server in its own process, the load generator in a third, the lean fake Web API here.
 * Per run and server: 50 and 200 people clicking every 2-4 s, a fixed 100 clicks a second, and a
 * closed loop of 64 in flight (throughput, CPU per request, resident memory). Three runs, medians.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PEOPLE = 200;
const PHASE_SECONDS = Number(process.env.BENCH_SLACK_SECONDS ?? 6);
const IN_FLIGHT = 64;

type Kind = "ours" | "bare";
interface Ready {
  url: string;
  team?: string;
  round?: string;
  keys?: string[];
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

async function phase(server: ChildProcess, ready: Ready, name: PhaseName, apiUrl: string): Promise<Phase> {
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
    url: ready.url,
    shape,
    n,
    seconds: PHASE_SECONDS,
    team: ready.team ?? "CLOAD",
    round: ready.round ?? "2026-Q1",
    keys: ready.keys ?? ["q1"],
    people: PEOPLE,
    secret: SIGNING_SECRET,
    responseUrl: new URL("/response-url", apiUrl).toString(),
  };
  const load = fork(script("slack-load.ts"), [JSON.stringify(plan)], {
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

async function serve(kind: Kind, apiUrl: string): Promise<Record<PhaseName, Phase>> {
  // BENCH_CPU_PROF=<dir>: profile the servers (node --cpu-prof), one file per server process.
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const server = fork(script("slack-server.mjs"), [kind, apiUrl, String(PEOPLE), SIGNING_SECRET, BOT_TOKEN], {
    execArgv: profile,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const ready = await once<Ready>(server, (m) => m.ready === true);
    const out = {} as Record<PhaseName, Phase>;
    for (const name of PHASES) out[name] = await phase(server, ready, name, apiUrl);
    return out;
  } finally {
    server.send({ type: "stop" });
    await new Promise((r) => server.once("exit", r));
  }
}

export async function benchSlack(): Promise<BenchRow[]> {
  // The servers run the built code, as `npm start` does.
  const build = spawnSync(process.execPath, [script("../scripts/build.mjs"), "--if-stale"], {
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("npm run build failed");
  const fake = await LeanSlack.start();
  const runs: Record<Kind, Record<PhaseName, Phase>[]> = { ours: [], bare: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      runs.ours.push(await serve("ours", fake.apiUrl));
      runs.bare.push(await serve("bare", fake.apiUrl));
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
    compared(label, unit, pick("ours", name, f), { name: "bare Bolt", runs: pick("bare", name, f) }, target);
  const failures = PHASES.flatMap((p) => pick("ours", p, "failed")).reduce((a, b) => a + b, 0);
  return [
    row("ack p50, 50 people at 2-4 s", "ms", "users50", "p50"),
    row("ack p99, 50 people at 2-4 s", "ms", "users50", "p99"),
    row("ack p50, 200 people at 2-4 s", "ms", "users200", "p50"),
    row("ack p99, 200 people at 2-4 s", "ms", "users200", "p99", { text: "< 50 ms", ok: (v) => v < 50 }),
    row("ack p50, 100 clicks/s", "ms", "rate100", "p50"),
    row("ack p99, 100 clicks/s", "ms", "rate100", "p99"),
    row("CPU per click, 100 clicks/s (work after the ack included)", "ms", "rate100", "cpuMs"),
    row(`clicks per second, ${IN_FLIGHT} in flight`, "/s", "closed", "perSecond", {
      text: ">= 1000/s",
      ok: (v) => v >= 1000,
    }),
    row(`CPU per click, ${IN_FLIGHT} in flight (work after the ack included)`, "ms", "closed", "cpuMs", {
      text: "<= 2x bare",
      ok: (v, b) => b !== undefined && v <= 2 * b,
    }),
    row(`resident memory, peak, ${IN_FLIGHT} in flight`, "MB", "closed", "rssMb", {
      text: "< 200 MB",
      ok: (v) => v < 200,
    }),
    {
      name: "failed or refused clicks (ours, all runs)",
      value: failures,
      unit: "",
      target: "0",
      ok: failures === 0,
    },
  ];
}
