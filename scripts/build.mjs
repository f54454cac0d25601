#!/usr/bin/env node
// Compiles src/ and jobs/ to dist/ with tsc (tsconfig.build.json) and writes dist/main.js, the entry point.
// `node scripts/build.mjs --if-stale` builds only when a source is newer than the last build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
export const entry = path.join(root, "dist", "main.js");
const SOURCES = ["src", "jobs", "tsconfig.json", "tsconfig.build.json", "package.json"];

/** The newest modification time among the sources (ms). */
function newestSource() {
  let newest = 0;
  const visit = (file) => {
    if (!existsSync(file)) return;
    const stat = statSync(file);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

/** True when dist/main.js exists and no source changed after it was written. */
export function buildIsFresh() {
  return existsSync(entry) && statSync(entry).mtimeMs >= newestSource();
}

/** tsc's path, or undefined when dev dependencies are not installed (npm ci --omit=dev). */
export function findTsc() {
  try {
    return createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    return undefined;
  }
}

/** Builds dist/; returns an error message, or undefined when it succeeded. */
export function build() {
  const tsc = findTsc();
  if (!tsc) return "TypeScript is not installed: run npm ci (with dev dependencies), then npm run build";
  rmSync(path.join(root, "dist"), { recursive: true, force: true });
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) return "the TypeScript build failed (see above)";
  // The compiled tree mirrors the repository (dist/src, dist/jobs); dist/main.js is the one entry point.
  writeFileSync(entry, '// Entry point of the compiled bot (npm run build).\nimport "./src/main.js";\n');
  return undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--if-stale") && buildIsFresh()) process.exit(0);
  const error = build();
  if (error) {
    console.error(`build: ${error}`);
    process.exit(1);
  }
}
