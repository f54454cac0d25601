import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readFigureLists, readKnowledgeFiles } from "../../../../src/core/knowledge/load.js";

// The folder listing comes back in reverse name order, so that only the loader's own sorting puts it right.
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const readdir = async (...args: Parameters<typeof fs.readdir>) =>
    ((await fs.readdir(...args)) as unknown as (string | { name: string })[])
      .map((entry) => ({ entry, name: typeof entry === "string" ? entry : entry.name }))
      .sort((x, y) => y.name.localeCompare(x.name))
      .map(({ entry }) => entry);
  return { ...fs, default: { ...fs, readdir }, readdir };
});

describe("reading knowledge folders in name order", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("reads knowledge files in name order", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kb-files-"));
    mkdirSync(path.join(dir, "sub"));
    for (const name of ["a.md", "c.md", "b.md", "sub/d.md", "notes.txt"])
      writeFileSync(path.join(dir, name), name);
    const files = await readKnowledgeFiles(dir, dir);
    expect(files).toEqual([
      { file: "a.md", content: "a.md" },
      { file: "b.md", content: "b.md" },
      { file: "c.md", content: "c.md" },
      { file: "sub/d.md", content: "sub/d.md" },
    ]);
  });

  it("reads figure lists in name order", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kb-figures-"));
    mkdirSync(path.join(dir, "figures"));
    for (const name of ["a", "c", "b"]) writeFileSync(path.join(dir, "figures", `${name}.json`), "[]");
    expect(Object.keys(await readFigureLists(dir))).toEqual(["a", "b", "c"]);
  });
});
