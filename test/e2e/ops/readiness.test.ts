import { afterAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../support/app.js";
import { freePort, type OwnRedis, startOwnRedis, waitFor } from "../../support/processes.js";

// A redis-server of this test's own: stopping it never touches the shared one.
let redis: OwnRedis | undefined;
let app: RunningApp | undefined;
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

const readiness = async () => {
  const res = await fetch(`${app!.url}/readyz`);
  return { status: res.status, body: await res.json() };
};

describe("/readyz", () => {
  it("is 503 within 2 s of Redis stopping and 200 again after it returns", async () => {
    const port = await freePort();
    redis = await startOwnRedis(port);
    app = await startApp("readiness", { REDIS_URL: redis.url });
    expect(await readiness()).toEqual({ status: 200, body: { status: "ready" } });

    await redis.stop();
    const stopped = Date.now();
    await waitFor("/readyz to turn 503", async () => (await readiness()).status === 503, 2000);
    expect(Date.now() - stopped).toBeLessThan(2000);
    expect((await readiness()).body).toEqual({ status: "unavailable", reason: "Redis does not answer" });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    redis = await startOwnRedis(port);
    await waitFor("/readyz to turn 200 again", async () => (await readiness()).status === 200, 10_000);
  });
});
