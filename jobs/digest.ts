import type { Job } from "bullmq";
import { type DigestTeam, digestReply } from "../src/core/conversation/notices.js";
import type { Team } from "../src/core/conversation/ports.js";
import { teamLabel } from "../src/core/conversation/views.js";
import { roundLabel } from "../src/core/rounds/lifecycle.js";
import { levelsChart } from "./chart.js";
import { encodeReply, splitImages } from "./codec.js";
import type { JobDeps } from "./context.js";
import { digestData, jobId } from "./queues.js";
import { deliverLater } from "./rounds.js";

/** The rounds a digest looks back over. */
const ROUNDS = 4;

/** Every team's shown results over the last rounds, the distribution of levels, and the chart. */
export async function digestFor(deps: JobDeps, tenant: string, title: string) {
  const teams: DigestTeam[] = [];
  for (const teamId of await deps.store.teamIds(tenant)) {
    const team = await deps.store.getTeam(tenant, teamId);
    if (!team) continue;
    const closed = (await deps.store.roundsOf(tenant, teamId)).filter((r) => r.result);
    const last = closed.at(-1);
    const trend = closed
      .filter((r) => r.result?.visible && r.result.level !== undefined && r.result.score !== undefined)
      .slice(-ROUNDS)
      .map((r) => ({
        round: roundLabel(r.id),
        level: r.result!.level!,
        score: r.result!.score!,
        band: r.result!.band ?? "–",
      }));
    teams.push({
      team,
      trend,
      respondents: last?.result?.respondents ?? 0,
      members: last?.result?.members ?? team.members.length,
    });
  }
  const distribution = [0, 0, 0, 0, 0];
  for (const t of teams) {
    const level = t.trend.at(-1)?.level;
    if (level) distribution[level - 1]! += 1;
  }
  const labels = [...new Set(teams.flatMap((t) => t.trend.map((p) => p.round)))].sort().slice(-ROUNDS);
  const chart = await levelsChart(
    title,
    labels,
    teams
      .filter((t) => t.trend.length > 0)
      .map((t) => ({
        name: teamLabel(t.team as Team),
        values: labels.map((l) => t.trend.find((p) => p.round === l)?.level ?? null),
      })),
  );
  return {
    title,
    teams,
    distribution,
    chart: { data: chart, alt: `Levels per team over ${labels.join(", ") || "no rounds yet"}` },
  };
}

/** Sends the workspace digest to its digest channel: the message, then the chart as a picture. */
export async function digestJob(job: Job, deps: JobDeps): Promise<string> {
  const { tenant, reason } = digestData.parse(job.data);
  const settings = await deps.store.getSettings(tenant);
  if (!settings.digestChannel || !settings.digestPlatform) return "no digest channel";
  const now = deps.clock.now();
  const title = `MLOps maturity digest · ${now.toISOString().slice(0, 10)}`;
  const data = await digestFor(deps, tenant, title);
  const audience = { kind: "workspace" as const, platform: settings.digestPlatform, tenant };
  const reply = digestReply(audience, settings.digestChannel, data);
  const { message, images } = splitImages(reply);
  const target = {
    platform: settings.digestPlatform,
    tenant,
    to: { kind: "channel" as const, channel: settings.digestChannel },
  };
  const base = jobId("digest-send", tenant, String(job.id ?? reason));
  if (message) {
    await deliverLater(deps, `${base}|message`, {
      kind: "digest",
      target,
      reply: encodeReply(message),
      label: "the digest channel",
    });
  }
  for (const [i, image] of images.entries()) {
    await deliverLater(
      deps,
      `${base}|chart${i}`,
      { kind: "digest", target, reply: encodeReply(image), label: "the digest channel" },
      1500,
    );
  }
  return `digest of ${data.teams.length} teams`;
}
