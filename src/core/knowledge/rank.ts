import type { Hit } from "./search.js";
import type { Page } from "./types.js";

/** Choosing among search hits: the rules that turn a ranked list into the section worth quoting. */

export function distinctPages(hits: Hit[], except: Page | undefined): Hit[] {
  const seen = new Set<Page>(except ? [except] : []);
  return hits.filter((h) => {
    if (seen.has(h.section.page)) return false;
    seen.add(h.section.page);
    return true;
  });
}

export const SUMMARY_WORDS = /\b(?:tl;?dr|summary|summari[sz]e|recap|in a nutshell|gist)\b/;
export const PROBLEM_WORDS =
  /\b(?:our|we|we're|i|my|us)\b.*\b(?:keep|can't|cannot|don't|never|struggl|problem|issue|stuck|fail|broke|help|advice|what do we do|how do we fix|overwhelm)|\b(?:advice|help)\b/;

/** Nudges hits whose text holds the kind of figure the question asks for: a duration, money, a share, a count. */
export function rerank(hits: Hit[], q: string, comparing: boolean): Hit[] {
  const wants: RegExp[] = [];
  if (/how long|duration|timeline|how many (?:months|weeks|years)|stay|last/.test(q))
    wants.push(/\d+(?:-\d+)?\+? (?:months?|weeks?|years?|days?)|week \d/i);
  if (/cost|budget|invest|price|spend|\$|how much (?:does|do|will|would|is|money)/.test(q))
    wants.push(/\$\d/);
  if (
    /%|percent|share|how many (?:companies|organi[sz]ations|orgs|teams)|proportion|how much (?:faster|less|more|better|quicker)|by how much/.test(
      q,
    )
  ) {
    wants.push(/\d%/);
  }
  const count = /\b(\d{1,4})\b(?! ?%)/.exec(q.replace(/\b(?:level|stage|phase|question) ?\d\b/g, ""));
  const n = count ? Number(count[1]) : undefined;
  const widest = Math.max(0, ...hits.map((h) => h.coverage));
  return hits
    .map((h) => {
      // Comparison pages answer comparisons; their opening section is the one that lines the scales up.
      const several = h.section.page.meta.source === "several";
      let factor = several ? (comparing ? (h.section === h.section.page.sections[0] ? 2 : 1) : 0.7) : 1;
      // A question that uses one of a page's own aliases word for word is about that page.
      // Unless the section leaves some of the question's words out.
      if (
        h.coverage >= widest - 0.3 &&
        h.section.page.meta.aliases.some((alias) => containsPhrase(q, alias.toLowerCase()))
      )
        factor *= 1.25;
      for (const pattern of wants) if (pattern.test(h.section.fullMarkdown)) factor *= 1.35;
      if (n !== undefined) {
        for (const m of h.section.fullMarkdown.matchAll(/(\d+)-(\d+)\+? models/g)) {
          if (Number(m[1]) <= n && n <= Number(m[2])) factor *= 1.5;
        }
      }
      return factor === 1 ? h : { ...h, score: h.score * factor };
    })
    .sort((a, b) => b.score - a.score || a.section.index - b.section.index);
}

export function containsPhrase(text: string, phrase: string): boolean {
  const at = text.indexOf(phrase);
  if (at < 0 || phrase.length < 3) return false;
  const before = text[at - 1];
  const after = text[at + phrase.length];
  return (
    (before === undefined || !/[a-z0-9]/.test(before)) && (after === undefined || !/[a-z0-9]/.test(after))
  );
}

export function nameWords(name: string | undefined): string[] {
  return (name ?? "")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 5);
}

/** A sub-section's parent answers better when it scores almost as well (it holds the sub-section too). */
export function preferParent(hits: Hit[], top: Hit): Hit {
  if (top.section.depth < 3) return top;
  const parentHeading = top.section.path[top.section.path.length - 2];
  const parent = hits.find(
    (h) =>
      h.section.page === top.section.page && h.section.depth === 2 && h.section.heading === parentHeading,
  );
  return parent && parent.score >= top.score * 0.85 ? parent : top;
}
