/** How answers are put together for chat: labels of pages and guides, source lines, sections and cuts. */
import { chatParts } from "./chat.js";
import { factKindAsked } from "./facts.js";
import { normaliseQuestion } from "./intents.js";
import { guideName } from "./sources.js";
import { contentTerms, tokenize } from "./text.js";
import type { Page, Section } from "./types.js";

const FIGURE_SHAPES: Partial<Record<string, RegExp>> = {
  cost: /\$\d/,
  duration: /\d+(?:-\d+)?\+? (?:months?|weeks?)|week \d/i,
  "market-share": /\d%/,
  "success-rate": /\d%/,
  "incident-rate": /\d%/,
  models: /\d+\S* models/,
};

/** Puts the chat part that answers the question best first: its words, and the kind of figure asked. */
export function leadWithBest(parts: string[], question: string): string[] {
  if (parts.length < 2) return parts;
  const terms = contentTerms(question).filter((t) => !/^\d+$/.test(t));
  const shape = FIGURE_SHAPES[factKindAsked(normaliseQuestion(question)) ?? ""];
  const score = (part: string) => {
    const own = new Set(tokenize(part));
    return terms.filter((t) => own.has(t)).length + (shape?.test(part) ? 1.5 : 0);
  };
  const scores = parts.map(score);
  let best = 0;
  for (let i = 1; i < parts.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best === 0 ? parts : [parts[best]!, ...parts.filter((_, i) => i !== best)];
}

const SHORT_GUIDES: Record<string, string> = {
  "000_8f8ba321c6300322.txt": "Wardley map analysis",
  "001_527294bab875f305.txt": "MLOps maturity assessment case study",
  "002_9374905fa16d7cca.txt": "Technology & Operations guide",
  "003_e7abb61b6f35453a.txt": "MLOps maturity research",
  "004_e637892df07c542c.txt": "Enterprise MLOps implementation guide",
  several: "the guides compared",
};

export function shortGuide(source: string): string {
  return SHORT_GUIDES[source] ?? guideName(source);
}

export function pageLabel(page: Page): string {
  const m = page.meta;
  if (m.kind === "roadmap") return `level ${m.from} → ${m.to} roadmap`;
  if (m.kind === "level") return `${m.scale === "research-0-4" ? "stage" : "level"} ${m.level} (${m.name})`;
  return stripTitle(m.title).replace(/[_*]/g, "");
}

export function section(page: Page, heading: string): Section | undefined {
  const wanted = heading.toLowerCase();
  return page.sections.find((s) => s.depth === 2 && s.heading.toLowerCase() === wanted);
}

export function belongsTo(page: Page, child: Section, parent: Section): boolean {
  const next = page.sections.find((s) => s.index > parent.index && s.depth <= parent.depth);
  return next === undefined || child.index < next.index;
}

export function countItems(markdown: string): number {
  return markdown.split("\n").filter((l) => /^\s*[-*+]\s/.test(l)).length;
}

export function source(page: Page, heading: string) {
  return { file: page.file, heading };
}

/** The human source line is added once, when the answer is fitted to chat. */
export function sourceLine(_page: Page | undefined): string {
  return "";
}

/** The opening of some markdown, cut only between blocks or sentences. */
export function firstLines(markdown: string, max: number): string {
  return chatParts(markdown.trim(), max)[0] ?? "";
}

export function withoutDuration(markdown: string, duration: string): string {
  const lines = markdown.split("\n");
  const first = lines[0] ?? "";
  return duration && normaliseQuestion(first).includes(normaliseQuestion(duration)) && lines.length > 1
    ? lines.slice(1).join("\n").trim()
    : markdown;
}

export function stripTitle(title: string): string {
  const colon = title.indexOf(":");
  return colon >= 0 ? title.slice(colon + 1).trim() : title;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
