#!/usr/bin/env node
// npm run jobs: the operator's command line (jobs/cli.ts), compiled like the bot; builds dist/ first when
// it is missing or older than the sources and TypeScript is installed.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, buildIsFresh, findTsc } from "./build.mjs";

const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "dist", "jobs", "cli.js");
if (!buildIsFresh() && findTsc()) {
  const error = build();
  if (error) {
    console.error(`jobs: ${error}`);
    process.exit(1);
  }
}
if (!existsSync(cli)) {
  console.error("jobs: dist/ is missing and TypeScript is not installed: run npm ci, then npm run build");
  process.exit(1);
}
await import(pathToFileURL(cli).href);
