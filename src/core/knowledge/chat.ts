/** Chat-sized answers and chat-typed questions: informal words, multi-part questions, length limits. */

/** Chat shorthand that no spelling corrector would guess. */
const SHORTHAND: Record<string, string> = {
  hw: "how",
  wat: "what",
  wht: "what",
  whats: "what's",
  lv: "level",
  lvl: "level",
  u: "you",
  ur: "your",
  r: "are",
  pls: "please",
  plz: "please",
  prod: "production",
  thx: "thanks",
  abt: "about",
  strt: "start",
};

/** Expands chat shorthand ("hw do we strt", "how 2 pick", "roadmap 4 enterprise"). */
export function expandShorthand(question: string): string {
  return question
    .replace(/\b[a-z]+\b/gi, (w) => SHORTHAND[w.toLowerCase()] ?? w)
    .replace(/\bhow 2\b/gi, "how to")
    .replace(/ 4 (?=(?:the|a|an|our|us|me|enterprise|teams?)\b)/gi, " for ");
}

const PART_START = /^(?:what|how|which|who|when|where|why|is|are|does|do|can|should|the|and)\b/;

/** Splits "how long does it take and what's the exit score?" into its questions. */
export function splitParts(question: string): string[] {
  const pieces = question
    .split(/\?\s+(?=\S)|;\s*|,?\s+and\s+(?=(?:what|how|which|who|when|where|why|is|are|does|do|the)\b)/i)
    .map((p) => p.replace(/^(?:and|also|plus)\s+/i, "").trim())
    .filter((p) => p.length > 0);
  if (pieces.length < 2) return [question];
  const words = (p: string) => p.split(/\s+/).filter((w) => w.length > 2).length;
  // A fragment too short to stand alone belongs to its neighbour.
  if (pieces.some((p) => words(p) < 2 || (!PART_START.test(p.toLowerCase()) && words(p) < 3)))
    return [question];
  return pieces.slice(0, 3);
}

export const CHAT_MAX = 700;

/**
 * Splits markdown into chat-sized parts: at blank lines first, then at line breaks, then after
 * sentences; never inside a sentence, a link or markup (a sentence longer than the limit stays whole).
 */
export function chatParts(markdown: string, max = CHAT_MAX): string[] {
  const units: string[] = [];
  for (const block of markdown.trim().split(/\n{2,}/)) {
    if (block.length <= max) units.push(block);
    else
      for (const line of block.split("\n")) {
        if (line.length <= max || /^\s*(?:[-*+]|\d+\.|\|)/.test(line)) units.push(line);
        else units.push(...sentences(line));
      }
  }
  // A heading line stays with the block under it.
  for (let i = units.length - 2; i >= 0; i--) {
    if (/^(?:#{1,6} .*|\*\*[^*]+\*\*:?)$/.test(units[i]!.trim())) {
      units.splice(i, 2, `${units[i]}\n\n${units[i + 1]}`);
    }
  }
  const parts: string[] = [];
  let current = "";
  for (const unit of units) {
    if (current && current.length + unit.length + 2 > max) {
      // Fill the part with whole lines of a list or table rather than leave the room empty.
      const lines = unit.split("\n");
      let taken = 0;
      let room = max - current.length - 2;
      while (taken < lines.length && lines[taken]!.length + 1 <= room) room -= lines[taken++]!.length + 1;
      const headingOnly = taken === 1 && /^(?:\*\*[^*]+\*\*:?|#{1,6} .*)$/.test(lines[0]!.trim());
      if (
        taken > 0 &&
        taken < lines.length &&
        !headingOnly &&
        lines.slice(taken).every((l) => /^\s*(?:[-*+]|\d+\.|\|)/.test(l) || !l.trim())
      ) {
        parts.push(`${current}\n\n${lines.slice(0, taken).join("\n")}`);
        current = lines.slice(taken).join("\n");
        continue;
      }
      parts.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${unit}` : unit;
  }
  if (current) parts.push(current);
  return parts.length > 0 ? parts : [""];
}

/** Sentences of a paragraph, split after ". " where no markup or link is open. */
function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s+[A-Z0-9*_[(])/g)) {
    const end = (m.index ?? 0) + 1;
    const piece = text.slice(start, end);
    if (balanced(text.slice(0, end))) {
      out.push(piece.trim());
      start = end;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** Whether markdown has no open bold, code span or link bracket. */
export function balanced(markdown: string): boolean {
  const bold = (markdown.match(/\*\*/g) ?? []).length;
  const code = (markdown.match(/`/g) ?? []).length;
  const open = (markdown.match(/\[/g) ?? []).length;
  const close = (markdown.match(/\]/g) ?? []).length;
  const parenOpen = (markdown.match(/\]\(/g) ?? []).length;
  const linkEnds = (markdown.match(/\]\([^)]*\)/g) ?? []).length;
  return bold % 2 === 0 && code % 2 === 0 && open === close && parenOpen === linkEnds;
}

/** Drops sentences and list items said before in the same answer. */
export function withoutRepeats(markdown: string): string {
  const seen = new Set<string>();
  const key = (s: string) => s.toLowerCase().replace(/[*_`]/g, "").replace(/\s+/g, " ").trim();
  return markdown
    .split("\n")
    .map((line) => {
      if (!line.trim() || /^\s*\|/.test(line)) return line;
      const kept = line.split(/(?<=[.!?])\s+(?=[A-Z*])/).filter((s) => {
        const k = key(s);
        if (k.length < 25) return true;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return kept.join(" ");
    })
    .filter((line, i, all) => line.trim() || (all[i - 1] ?? "").trim())
    .join("\n")
    .trim();
}

/** Edit distance, for did-you-mean on command words. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The word from a list closest to a mistyped one, within two edits (one for short words). */
export function didYouMean(word: string, words: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 3 || words.includes(w)) return undefined;
  const limit = w.length <= 4 ? 1 : 2;
  let best: { word: string; d: number } | undefined;
  for (const candidate of words) {
    const d = editDistance(w, candidate);
    if (d <= limit && (!best || d < best.d)) best = { word: candidate, d };
  }
  return best?.word;
}
