#!/usr/bin/env node
// npm start: runs the compiled bot (dist/main.js), building it first when it is missing or older than the
// sources, so that the quick start stays one command. Production images run `node dist/main.js` directly.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { build, buildIsFresh, entry, findTsc } from "./build.mjs";

if (!buildIsFresh()) {
  if (findTsc()) {
    console.error("maturity-bot: building dist/ (npm run build)...");
    const error = build();
    if (error) {
      console.error(`maturity-bot cannot start: ${error}`);
      process.exit(1);
    }
  } else if (!existsSync(entry)) {
    console.error(
      "maturity-bot cannot start: dist/ is missing and TypeScript is not installed: run npm ci, then npm run build",
    );
    process.exit(1);
  }
}
await import(pathToFileURL(entry).href);
