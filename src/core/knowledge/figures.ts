import type { CompileIssue, KnowledgeBase } from "./types.js";

/**
 * Figures a page states (percentages, money, multipliers) must be figures its guide states: each guide's
 * figures are listed in knowledge/figures/<folder>.json, in our own words.
 */

export interface GuideFigure {
  figure: string;
  about: string;
}

/** The folder of knowledge/ that holds a guide's pages, which also names its figure list. */
export const GUIDE_FOLDERS: Readonly<Record<string, string>> = {
  "000_8f8ba321c6300322.txt": "wardley",
  "001_527294bab875f305.txt": "case-study",
  "002_9374905fa16d7cca.txt": "tech-ops",
  "003_e7abb61b6f35453a.txt": "research",
  "004_e637892df07c542c.txt": "enterprise",
};

const FIGURE =
  /(?<![\w$.])(?:[<>]\s?)?(?:\$\d[\d.,]*[KMB]?(?:\s?-\s?\$?\d[\d.,]*[KMB]?)?(?:\/year)?|\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?%\+?|\d+(?:\.\d+)?-?\d*x(?![\w-]))/g;

/** The figures written in some text, in a comparable form. */
export function figuresIn(text: string): string[] {
  return [...text.matchAll(FIGURE)].map((m) => normaliseFigure(m[0]));
}

export function normaliseFigure(figure: string): string {
  return figure
    .toLowerCase()
    .replace(/[‐-―−]/g, "-")
    .replace(/\s+/g, "")
    .replace(/^[<>]/, "");
}

/** One issue per page figure its guide's list does not contain (pages comparing guides may use any list). */
export function checkFigures(kb: KnowledgeBase, lists: Record<string, GuideFigure[]>): CompileIssue[] {
  const known = Object.fromEntries(
    Object.entries(lists).map(([folder, figures]) => [
      folder,
      new Set(figures.flatMap((f) => figuresIn(f.figure).concat(normaliseFigure(f.figure)))),
    ]),
  );
  const everything = new Set(Object.values(known).flatMap((s) => [...s]));
  const issues: CompileIssue[] = [];
  for (const page of kb.pages) {
    const folder = GUIDE_FOLDERS[page.meta.source];
    const allowed = folder ? known[folder] : everything;
    if (!allowed) continue;
    const lines = [page.intro, ...page.sections.map((s) => `${s.heading}\n${s.markdown}`)].join("\n");
    const facts = page.meta.facts.map((f) => f.says).join("\n");
    for (const figure of new Set(figuresIn(`${lines}\n${facts}`))) {
      if (!allowed.has(figure)) {
        const at = page.sections.find((s) => figuresIn(`${s.heading}\n${s.markdown}`).includes(figure));
        issues.push({
          file: page.file,
          line: at?.line ?? 1,
          message: `figure "${figure}" is not in the ${folder ?? "guides'"} figure list (knowledge/figures/${folder ?? "*"}.json): the guide does not state it`,
        });
      }
    }
  }
  return issues;
}
