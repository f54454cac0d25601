import { existsSync } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CompileResult, compileKnowledge } from "./compile.js";
import type { GuideFigure } from "./figures.js";
import type { SourceFile } from "./types.js";

/** The repository root: the nearest folder above this module with a package.json (from src/ or from dist/src/). */
export const REPO_ROOT = findRoot(fileURLToPath(new URL(".", import.meta.url)));
export const KNOWLEDGE_DIR = path.join(REPO_ROOT, "knowledge");

/** Reads every .md file below a folder (links are not followed), with repository-relative names. */
export async function readKnowledgeFiles(dir = KNOWLEDGE_DIR, root = REPO_ROOT): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith(".md") && !(await lstat(full)).isSymbolicLink()) {
        out.push({
          file: path.relative(root, full).split(path.sep).join("/"),
          content: await readFile(full, "utf8"),
        });
      }
    }
  };
  await walk(dir);
  return out;
}

export async function loadKnowledge(dir = KNOWLEDGE_DIR, root = REPO_ROOT): Promise<CompileResult> {
  return compileKnowledge(await readKnowledgeFiles(dir, root));
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return fileURLToPath(new URL("../../../", import.meta.url));
  }
}

/** The guides' figure lists, knowledge/figures/<folder>.json (none when the folder has no such lists). */
export async function readFigureLists(dir = KNOWLEDGE_DIR): Promise<Record<string, GuideFigure[]>> {
  const folder = path.join(dir, "figures");
  const names = await readdir(folder).catch(() => [] as string[]);
  const lists: Record<string, GuideFigure[]> = {};
  for (const name of names.filter((n) => n.endsWith(".json")).sort())
    lists[name.replace(/\.json$/, "")] = JSON.parse(
      await readFile(path.join(folder, name), "utf8"),
    ) as GuideFigure[];
  return lists;
}
