import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";
import { type RunningApp, startApp } from "../../support/app.js";
import { logCapture } from "../../support/log-capture.js";

// The app with METRICS_PORT set: /metrics leaves the public port; every request leaves one log line.
const log = logCapture();
let app: RunningApp;
let metricsUrl: string;

async function play(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/playground/api/event`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ user: "U-scientist", ...body }),
  });
  return { res, json: (await res.json()) as { replies: { text: string }[] } };
}

beforeAll(async () => {
  app = await startApp(
    "observability",
    { METRICS_PORT: "9464" },
    { logger: createLogger("debug", {}, false, { destination: log.destination }) },
  );
  await new Promise<void>((resolve) => app.metricsServer!.listen(0, "127.0.0.1", resolve));
  metricsUrl = `http://127.0.0.1:${(app.metricsServer!.address() as AddressInfo).port}/metrics`;
});
afterAll(() => app?.stop());

describe("metrics and request logs", () => {
  it("serves /metrics on METRICS_PORT only", async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    // Registered now for the scheduled jobs: present before any job runs.
    for (const name of [
      "maturity_bot_messages_sent_total counter",
      "maturity_bot_messages_failed_total counter",
      "maturity_bot_job_seconds histogram",
      "maturity_bot_queue_jobs gauge",
      "maturity_bot_dead_letters gauge",
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/^maturity_bot_dead_letters 0$/m);
  });

  it("counts requests, assessments started and knowledge answers by intent and confidence", async () => {
    await play({ channel: "C-ml-platform", type: "command", name: "setup" });
    const started = await play({ channel: "dm", type: "command", name: "assess" });
    expect(started.json.replies.length).toBeGreaterThan(0);
    await play({ channel: "dm", type: "command", name: "assess" }); // a resume is not a start
    const answer = await play({ channel: "dm", type: "message", text: "how long does level 2 to 3 take?" });
    expect(answer.json.replies[0]!.text).toMatch(/month/i);
    await fetch(`${app.url}/no-such-page-${Date.now()}`);

    const text = await (await fetch(metricsUrl)).text();
    expect(text).toMatch(
      /^maturity_bot_http_requests_total\{platform="playground",route="\/playground\/api\/event",status="200"\} 4$/m,
    );
    expect(text).toMatch(
      /^maturity_bot_http_request_seconds_count\{platform="playground",route="\/playground\/api\/event"\} 4$/m,
    );
    expect(text).toMatch(
      /^maturity_bot_http_requests_total\{platform="none",route="unmatched",status="404"\} \d+$/m,
    );
    expect(text).toMatch(/^maturity_bot_assessments_started_total\{platform="playground"\} 1$/m);
    expect(text).toMatch(/^maturity_bot_knowledge_answers_total\{intent="roadmap",confidence="high"\} 1$/m);
  });

  it("logs one line per request with its id, platform, tenant, route, status and duration", async () => {
    const { res } = await play(
      { channel: "C-ml-platform", type: "command", name: "status" },
      { "x-request-id": "trace-123" },
    );
    expect(res.headers.get("x-request-id")).toBe("trace-123");
    const lines = log.lines.filter((l) => l.message === "request" && l.requestId === "trace-123");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      method: "POST",
      platform: "playground",
      tenant: "playground",
      route: "/playground/api/event",
      status: 200,
    });
    expect(lines[0]!.ms).toEqual(expect.any(Number));
    // A made-up id gets a fresh one, never echoed unchecked.
    const odd = await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "<script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
