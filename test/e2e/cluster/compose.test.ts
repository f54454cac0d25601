import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../../src/config/index.js";

/**
 * docker-compose.yml as `docker compose up --scale worker=3` reads it (Docker is not needed here): a web
 * service and a scalable worker service from the same image, each with an environment the bot accepts.
 */

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  healthcheck?: { disable?: boolean };
}

const root = new URL("../../../", import.meta.url).pathname;
const compose = parse(readFileSync(`${root}docker-compose.yml`, "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};
const { redis, bot, worker } = compose.services;
const slack = { SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1-2" };
const envOf = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));

describe("docker-compose.yml", () => {
  it("runs the web process and a worker from the same build, both after Redis is healthy", () => {
    expect(bot?.build).toBe(".");
    expect(worker?.build).toBe(".");
    for (const service of [bot!, worker!]) {
      expect(service.depends_on?.redis?.condition).toBe("service_healthy");
    }
  });

  it("starts ROLE=web and ROLE=worker processes that accept their environment (NODE_ENV=production, as the image sets)", () => {
    const web = loadConfig({ NODE_ENV: "production", ...slack, ...envOf(bot!) });
    expect(web).toMatchObject({ role: "web", port: 3000, redisUrl: "redis://redis:6379" });
    const work = loadConfig({ NODE_ENV: "production", ...slack, ...envOf(worker!) });
    expect(work).toMatchObject({ role: "worker", redisUrl: "redis://redis:6379" });
    expect(work.localRedisPort).toBeUndefined();
  });

  it("lets --scale start several workers: no published port, no fixed name, no HTTP health check", () => {
    expect(worker?.ports).toBeUndefined();
    expect(worker?.container_name).toBeUndefined();
    expect(worker?.healthcheck?.disable).toBe(true);
  });

  it("keeps Redis append-only on a named volume", () => {
    expect(redis?.command).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
    expect(redis?.ports).toEqual(["127.0.0.1:6379:6379"]);
  });
});
