import path from "node:path/posix";
import { parseFrontMatter } from "./front-matter.js";
import { parseBody, slug } from "./markdown.js";
import type { CompileIssue, KnowledgeBase, Page, PageKind, Section, SourceFile } from "./types.js";

export const MAX_PAGE_BYTES = 256 * 1024;

const REQUIRED_SECTIONS: Record<PageKind, string[]> = {
  level: ["What it looks like", "Typical signs"],
  roadmap: ["Goal", "Checklist", "Success criteria"],
  component: ["What it covers", "Levels"],
  challenge: ["Symptom", "Root causes", "Solutions"],
  question: ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"],
  topic: [],
};

export const MAX_LABEL = 75;
const MENTION =
  /<!(?:channel|here|everyone)(?:\|[^>]*)?>|<[@#!][A-Z0-9^]+(?:\|[^>]*)?>|@(?:channel|here|everyone)\b/i;
const SAFE_SCHEME = /^(?:https?:|mailto:)/i;

export interface CompileResult {
  kb: KnowledgeBase;
  issues: CompileIssue[];
}

/** Compiles knowledge pages into a knowledge base, reporting every problem with file and line. */
export function compileKnowledge(files: SourceFile[]): CompileResult {
  const issues: CompileIssue[] = [];
  const pages: Page[] = [];
  const pageLinks: { page: Page; links: { href: string; line: number }[] }[] = [];
  const seenIds = new Map<string, string>();
  const seenKeys = new Map<string, string>();

  for (const { file, content } of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    const problem = contentProblem(content);
    if (problem) {
      issues.push({ file, line: problem.line, message: problem.message });
      continue;
    }
    const fm = parseFrontMatter(file, content);
    issues.push(...fm.issues);
    if (!fm.meta) continue;
    const meta = fm.meta;
    const pageIssues: CompileIssue[] = [];
    const report = (line: number, message: string) => pageIssues.push({ file, line, message });

    const firstSeen = seenIds.get(meta.id);
    if (firstSeen) report(lineOf(content, /^id:/m), `duplicate id "${meta.id}" (first used in ${firstSeen})`);
    else seenIds.set(meta.id, file);

    const body = parseBody(fm.body, fm.bodyLine);
    const page: Page = { meta, file, intro: body.intro, sections: [] };
    page.sections = body.sections.map((s) => ({
      index: -1,
      page,
      heading: s.heading,
      path: [meta.title, ...headingPath(body.sections, s)],
      depth: s.depth,
      line: s.line,
      markdown: s.markdown,
      text: s.text,
      fullMarkdown: s.fullMarkdown,
    }));

    if (body.sections.length === 0) report(fm.bodyLine, "the page has no ## section");
    for (const s of body.sections) {
      if (s.markdown.length === 0 && !s.hasChildren) report(s.line, `empty section "${s.heading}"`);
    }
    const headings = new Set(body.sections.filter((s) => s.depth === 2).map((s) => s.heading.toLowerCase()));
    for (const required of REQUIRED_SECTIONS[meta.kind]) {
      if (!headings.has(required.toLowerCase())) {
        report(fm.bodyLine, `a ${meta.kind} page needs a "## ${required}" section`);
      }
    }
    if (meta.kind === "roadmap" && meta.from !== undefined && meta.to !== meta.from + 1) {
      report(lineOf(content, /^to:/m), `a roadmap goes one level up: from ${meta.from} to ${meta.from + 1}`);
    }
    if (meta.kind === "level" && meta.scale === "tech-ops-1-5" && meta.level === 0) {
      report(lineOf(content, /^level:/m), "the tech-ops scale runs from 1 to 5");
    }
    if (meta.question) {
      const { key } = meta.question;
      const previous = seenKeys.get(key);
      if (previous)
        report(lineOf(content, /^\s+key:/m), `duplicate question key "${key}" (also in ${previous})`);
      else seenKeys.set(key, file);
      for (const s of page.sections.filter((x) => /^level [1-5]$/i.test(x.heading))) {
        const label = optionLabel(s);
        if (!label) report(s.line, `"${s.heading}" must start with a line "Label: <button text>"`);
        else if (label.length > MAX_LABEL) {
          report(s.line, `button label is ${label.length} characters; at most ${MAX_LABEL}`);
        }
      }
    }
    for (const link of body.links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.href) && !SAFE_SCHEME.test(link.href)) {
        report(link.line, `unsafe link "${link.href}"`);
      }
    }
    issues.push(...pageIssues);
    pages.push(page);
    pageLinks.push({ page, links: body.links });
  }

  const byFile = new Map(pages.map((p) => [p.file, p]));
  for (const { page, links } of pageLinks) {
    for (const link of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.href)) continue;
      const [target = "", anchor] = link.href.split("#", 2);
      const targetPage =
        target === "" ? page : byFile.get(path.normalize(path.join(path.dirname(page.file), target)));
      if (!targetPage) {
        issues.push({
          file: page.file,
          line: link.line,
          message: `dangling link "${link.href}": no such page`,
        });
      } else if (anchor && !targetPage.sections.some((s) => slug(s.heading) === anchor.toLowerCase())) {
        issues.push({
          file: page.file,
          line: link.line,
          message: `dangling link "${link.href}": ${targetPage.file} has no heading #${anchor}`,
        });
      }
    }
  }

  const sections: Section[] = [];
  for (const page of pages) {
    for (const section of page.sections) {
      section.index = sections.length;
      sections.push(section);
    }
  }
  issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { kb: { pages, sections, byId: new Map(pages.map((p) => [p.meta.id, p])) }, issues };
}

/** The button text of a question option: its first line, `Label: ...`. */
export function optionLabel(section: Pick<Section, "markdown">): string | undefined {
  const match = /^Label:\s*(.+)$/m.exec(section.markdown.split("\n")[0] ?? "");
  return match?.[1]?.trim();
}

function contentProblem(content: string): { line: number; message: string } | undefined {
  if (Buffer.byteLength(content, "utf8") > MAX_PAGE_BYTES) {
    return { line: 1, message: `page is larger than ${MAX_PAGE_BYTES / 1024} KiB; split it into topics` };
  }
  const lines = content.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.includes("\u0000") || text.includes("\uFFFD")) {
      return { line: i + 1, message: "not valid UTF-8 text (binary data or a broken encoding)" };
    }
    if (/<\s*(?:script|iframe|style|object|embed)\b/i.test(text)) {
      return { line: i + 1, message: "raw HTML is not allowed in knowledge pages" };
    }
    if (MENTION.test(text)) {
      return {
        line: i + 1,
        message: "contains a chat mention or broadcast (such as <!channel>); write it out in words",
      };
    }
  }
  return undefined;
}

function headingPath(all: { heading: string; depth: number }[], target: { heading: string; depth: number }) {
  const index = all.indexOf(target);
  const chain = [target.heading];
  let depth = target.depth;
  for (let i = index - 1; i >= 0 && depth > 2; i--) {
    const s = all[i]!;
    if (s.depth < depth) {
      chain.unshift(s.heading);
      depth = s.depth;
    }
  }
  return chain;
}

function lineOf(content: string, pattern: RegExp): number {
  const match = pattern.exec(content);
  if (!match) return 1;
  return content.slice(0, match.index).split("\n").length;
}
