/** Splitting markdown into chat-sized parts at block, then line, then word boundaries. */
export function chunkMarkdown(markdown: string, max: number): string[] {
  const parts: string[] = [];
  let current = "";
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = "";
  };
  const pieces = markdown
    .split(/\n{2,}/)
    .flatMap((block) => (block.length > max ? splitLong(block, max) : [block]));
  for (const piece of pieces) {
    if (current && current.length + piece.length + 2 > max) push();
    current = current ? `${current}\n\n${piece}` : piece;
  }
  push();
  return parts.length > 0 ? parts : [""];
}

function splitLong(block: string, max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of block.split("\n").flatMap((l) => (l.length > max ? splitWords(l, max) : [l]))) {
    if (current && current.length + line.length + 1 > max) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

function splitWords(line: string, max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + word.length + 1 > max) {
      out.push(current);
      current = "";
    }
    current = current ? `${current} ${word}` : word.slice(0, max);
  }
  if (current) out.push(current);
  return out;
}

/** Cuts text to at most `max` characters at a word boundary, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
