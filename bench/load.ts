/**
 * The load generator for the Slack and Teams benchmarks, in a process of its own: Slack's signed
 * `block_actions` clicks or Teams' card submits (Action.Submit activities), built (and signed) before the
 * clock starts, sent over keep-alive connections. Three shapes:
 * - `users`: N simulated people, each clicking every 2-4 s (open loop: a click is sent on time whether
 *   or not the previous one was answered), the latency figures;
 * - `rate`: a fixed number of clicks a second (open loop);
 * - `closed`: N requests kept in flight, for throughput (latency there is N / throughput).
 * Each person answers the assessment in order (restart, then the full set of questions), so the real
 * app does its real work; every click has its own id, so none is taken for a retry.
 */
import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";

interface Plan {
  platform: "slack" | "teams";
  url: string;
  shape: "users" | "rate" | "closed";
  /** users: people; rate: clicks a second; closed: requests in flight. */
  n: number;
  seconds: number;
  team: string;
  round: string;
  keys: string[];
  people: number;
  /** Slack: the signing secret. */
  secret: string;
  /** Slack: where a click's response_url points; Teams: the serviceUrl (both the lean fake). */
  fakeUrl: string;
  /** Teams: the tenant. */
  tenant: string;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const target = new URL(plan.url);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** What the n-th click of a person says: a restart, then one answer per question, round and round. */
function clickValue(person: number, n: number) {
  const step = n % (plan.keys.length + 1);
  const base = { t: plan.team, r: plan.round };
  const level = ((person + step) % 5) + 1;
  const value =
    step === 0
      ? { action: "restart", mode: "full", ...base }
      : { action: "answer", level, q: plan.keys[step - 1], ...base };
  return { value, actionId: step === 0 ? "restart" : `answer-${level}` };
}

function slackClick(person: number, n: number): Signed {
  const user = `UL${person}`;
  const { value, actionId } = clickValue(person, n);
  const channel = `DL${person}`;
  const ts = `${1_700_000_000 + person}.000100`;
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T1" },
    api_app_id: "A1",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: "T1", domain: "example" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "directmessage" },
    message: { type: "message", ts, text: "Question", blocks: [] },
    response_url: plan.fakeUrl,
    actions: [
      {
        type: "button",
        block_id: "b1",
        action_id: actionId,
        text: { type: "plain_text", text: "Level" },
        value: JSON.stringify(value),
        action_ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, "0")}`,
      },
    ],
  };
  return sign(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/** A card submit in the person's personal chat, replying to the question card. */
function teamsSubmit(person: number, n: number): Signed {
  const user = `29:L${person}`;
  const { value, actionId } = clickValue(person, n);
  const body = JSON.stringify({
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: plan.fakeUrl,
    channelId: "msteams",
    from: { id: user, name: `Load ${person}`, aadObjectId: `aad-${person}` },
    recipient: { id: "28:bench-bot", name: "maturity-bot" },
    conversation: { conversationType: "personal", tenantId: plan.tenant, id: `a:personal-${user}` },
    channelData: { tenant: { id: plan.tenant } },
    locale: "en-US",
    value: { actionId, ...value },
    replyToId: `card-${person}`,
  });
  return {
    body,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
  };
}

interface Signed {
  body: string;
  headers: Record<string, string>;
}

function sign(body: string): Signed {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", plan.secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
    },
  };
}

function send(signed: Signed): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: signed.headers,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ ms: performance.now() - started, ok: res.statusCode === 200 }));
      },
    );
    req.on("error", () => resolve({ ms: performance.now() - started, ok: false }));
    req.end(signed.body);
  });
}

// Sign ahead: enough clicks for the shape at its pace (closed loop: a generous bound).
const expected =
  plan.shape === "users"
    ? Math.ceil((plan.n * plan.seconds) / 2) + plan.n
    : plan.shape === "rate"
      ? plan.n * plan.seconds + 10
      : Math.min(60_000, 3000 * plan.seconds);
const perPerson = new Array<number>(plan.people).fill(0);
const queue: Signed[] = [];
for (let i = 0; i < expected; i++) {
  const person = plan.shape === "users" ? i % plan.n : i % plan.people;
  const n = perPerson[person]!++;
  queue.push(plan.platform === "slack" ? slackClick(person, n) : teamsSubmit(person, n));
}
const byPerson: Signed[][] = Array.from({ length: plan.n }, () => []);
if (plan.shape === "users") for (const [i, s] of queue.entries()) byPerson[i % plan.n]!.push(s);

const latencies: number[] = [];
let failed = 0;
const pending = new Set<Promise<void>>();
const track = (p: Promise<{ ms: number; ok: boolean }>) => {
  const done = p.then((r) => {
    if (r.ok) latencies.push(r.ms);
    else failed += 1;
  });
  pending.add(done);
  void done.finally(() => pending.delete(done));
};

process.send?.({ type: "signed" });
await new Promise<void>((resolve) => process.once("message", () => resolve()));
const started = performance.now();
const end = started + plan.seconds * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

if (plan.shape === "users") {
  // Each person starts at a random moment of their first interval, then clicks every 2-4 s.
  await Promise.all(
    byPerson.map(async (clicks) => {
      let at = started + Math.random() * 3000;
      for (const click of clicks) {
        await sleep(at - performance.now());
        if (performance.now() >= end) return;
        track(send(click));
        at += 2000 + Math.random() * 2000;
      }
    }),
  );
} else if (plan.shape === "rate") {
  const interval = 1000 / plan.n;
  for (let i = 0; i < queue.length; i++) {
    const at = started + i * interval;
    if (at >= end) break;
    await sleep(at - performance.now());
    track(send(queue[i]!));
  }
} else {
  let next = 0;
  await Promise.all(
    Array.from({ length: plan.n }, async () => {
      while (performance.now() < end && next < queue.length) {
        const r = await send(queue[next++]!);
        if (r.ok) latencies.push(r.ms);
        else failed += 1;
      }
    }),
  );
}
await Promise.all([...pending]);
const seconds = (performance.now() - started) / 1000;
process.send?.({ type: "done", latencies, failed, seconds });
agent.destroy();
