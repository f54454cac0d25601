/**
 * Splits Teams markdown into pieces of at most `max` characters: at a blank line where possible, then at a
 * line break, then at a space; never inside a [link](url), a `code span`, a **bold** or _italic_ run, an
 * &entity; or a surrogate pair. A piece that cannot be split that way (one huge link) is cut at a
 * character boundary as a last resort.
 */
export function splitTeamsMarkdown(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\s+/, "");
    if (piece) pieces.push(piece);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

const PROTECTED = [
  /!?\[(?:\\.|[^\]\\])*\]\([^)\s]*\)/g, // links (and images)
  /`[^`\n]*`/g, // code spans
  /\*\*(?:\\.|[^*\\])+?\*\*/g, // bold
  /(?<![\w\\])_(?:\\.|[^_\\\n])+?_(?![\w])/g, // italic
  /~~(?:\\.|[^~\\])+?~~/g, // strike
  /&#?\w{1,8};/g, // entities
];

function cutPoint(text: string, max: number): number {
  const ranges: [number, number][] = [];
  for (const pattern of PROTECTED) {
    for (const m of text.matchAll(pattern)) ranges.push([m.index, m.index + m[0].length]);
  }
  const inside = (at: number) => ranges.some(([start, end]) => at > start && at < end);
  for (const separator of ["\n\n", "\n", " "]) {
    let at = text.lastIndexOf(separator, max);
    while (at > 0) {
      if (!inside(at)) return at;
      at = text.lastIndexOf(separator, at - 1);
    }
  }
  // No safe place: cut before the protected run that covers max, or at max itself.
  let cut = max;
  for (const [start, end] of ranges) if (cut > start && cut < end && start > 0) cut = start;
  if (/[\uDC00-\uDFFF]/.test(text[cut] ?? "")) cut--;
  return Math.max(cut, 1);
}
