#!/usr/bin/env node
// Fails on circular imports between our modules, and on platform imports in src/core
// (the core stays free of Slack, Teams, BullMQ, Redis and HTTP so that every adapter can reuse it).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(new URL("..", import.meta.url).pathname);
const FORBIDDEN_IN_CORE = [
  /^@slack\//,
  /^botbuilder/,
  /^bullmq$/,
  /^ioredis$/,
  /^node:http/,
  /^node:https$/,
  /^express$/,
];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) files.push(full);
  }
};
for (const dir of ["src", "jobs"]) {
  try {
    walk(path.join(root, dir));
  } catch {}
}

const graph = new Map();
const problems = [];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const deps = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (/^import\s+type\s/.test(m[0].trim()) || /^export\s+type\s/.test(m[0].trim())) continue;
    const rel = path.relative(root, file);
    if (rel.startsWith(`src${path.sep}core`) && FORBIDDEN_IN_CORE.some((re) => re.test(spec))) {
      problems.push(`${rel}: the core must not import "${spec}" (put it in an adapter or src/store)`);
    }
    if (spec.startsWith(".")) {
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, ".ts");
      deps.push(target);
      if (
        rel.startsWith(`src${path.sep}core`) &&
        !path.relative(root, target).startsWith(`src${path.sep}core`)
      ) {
        problems.push(`${rel}: the core must not import ${path.relative(root, target)}`);
      }
    }
  }
  graph.set(file, deps);
}

const state = new Map();
const stack = [];
const visit = (node) => {
  state.set(node, 1);
  stack.push(node);
  for (const dep of graph.get(node) ?? []) {
    if (!graph.has(dep)) continue;
    if (state.get(dep) === 1) {
      const cycle = stack
        .slice(stack.indexOf(dep))
        .concat(dep)
        .map((f) => path.relative(root, f));
      problems.push(`circular import: ${cycle.join(" -> ")}`);
    } else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(node, 2);
};
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`imports: ${files.length} files, no cycles, core free of platform imports`);
