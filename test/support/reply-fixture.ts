import { readFileSync } from "node:fs";
import type { EveryReply } from "./every-reply.js";

/**
 * The engine's replies stored as data, so that the renderer tests (and mutation testing, which re-runs
 * them for every mutant) need neither Redis nor the knowledge base. test/unit/fixtures/replies.test.ts
 * drives the engine and checks that these files still equal what it produces; `npm run fixtures:update`
 * rewrites them.
 */
export type Platform = "slack" | "teams";

/** The first line of the knowledge base's answer to "zebra <text>", for each hostile text. */
export type Echoes = { text: string; line: string }[];

const file = (name: string) => new URL(`../fixtures/replies/${name}.json`, import.meta.url);
export const repliesFile = (platform: Platform) => file(platform);
export const echoesFile = file("echoes");

/** JSON text for a fixture file. Refuses pictures: their bytes would not survive JSON. */
export function fixtureJson(data: EveryReply | Echoes): string {
  if ("produced" in data) {
    const blocks = [...data.produced.map((p) => p.reply.blocks), ...data.homes.map((h) => h.blocks)].flat();
    if (blocks.some((b) => b.type === "image")) throw new Error("an image block cannot be stored as JSON");
  }
  return `${JSON.stringify(data, null, 1)}\n`;
}

/** Every reply the engine produced for a platform (test/support/every-reply.ts), as stored. */
export function storedReplies(platform: Platform): EveryReply {
  return JSON.parse(readFileSync(repliesFile(platform), "utf8")) as EveryReply;
}

export function storedEchoes(): Echoes {
  return JSON.parse(readFileSync(echoesFile, "utf8")) as Echoes;
}

/** Hostile user text the bot may echo back (an unknown question's "I don't know about ..."). */
export const HOSTILE = [
  "[Re-authenticate your Slack here](https://evil.example/login)",
  "![pixel](https://evil.example/p.png)",
  "<https://evil.example/login|Log in again> please",
  "<!channel> <!here> @everyone @channel",
  "**urgent** _now_ ~~safe~~ `code` # heading",
  "invoice\u202Efdp.exe",
  "https://evil.example/login",
];
