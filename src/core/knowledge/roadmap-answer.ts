import {
  belongsTo,
  countItems,
  firstLines,
  section,
  source,
  sourceLine,
  stripTitle,
  withoutDuration,
} from "./answer-text.js";
import type { Answer, AnswerContext } from "./answer-types.js";
import { slug } from "./markdown.js";
import { nameWords } from "./rank.js";
import type { KnowledgeBase, Page, Section } from "./types.js";

/** Where roadmap answers read from: the roadmap pages by starting level, and the level pages. */
export interface Roadmaps {
  readonly kb: KnowledgeBase;
  roadmapFrom(level: number): Page | undefined;
  roadmapSteps(): Page[];
  levelPage(level: number): Page | undefined;
}

/** A step of the roadmap: its duration and exit score, the team's weakest first, criteria, checklist, goal. */
export function roadmapAnswer(src: Roadmaps, from: number, context: AnswerContext = {}): Answer {
  const page = src.roadmapFrom(from);
  if (!page) {
    const top = src.levelPage(5);
    const text =
      from >= 5
        ? "Level 5 is the top of the scale: there is no next roadmap step, only keeping the practice sharp."
        : `There is no roadmap from level ${from}.`;
    return {
      answer: `${text}${top ? `\n\n${firstLines(section(top, "What it looks like")?.markdown ?? "", 600)}` : ""}${sourceLine(top)}`,
      sources: top ? [source(top, "What it looks like")] : [],
      intent: "roadmap",
      confidence: 0.8,
      followUps: [],
    };
  }
  const m = page.meta;
  const goal = section(page, "Goal");
  const checklist = section(page, "Checklist");
  const criteria = section(page, "Success criteria");
  const who = context.teamName ? `For ${context.teamName} (level ${from}): ` : "";
  const exit =
    m.exitScore !== undefined
      ? ` The step is done when a re-assessment scores above ${m.exitScore.toFixed(1)}.`
      : "";
  const lines = [
    `${who}**Level ${m.from} → ${m.to}** takes **${m.duration}**: ${stripTitle(m.title)}.${exit}`,
    weakestFocus(src.kb, page, checklist, context.weakest ?? []) ?? "",
    criteria ? `**Success criteria**\n\n${criteria.markdown}` : "",
  ];
  if (checklist) {
    const blocks = page.sections.filter(
      (s) => s.depth === 3 && s.index > checklist.index && belongsTo(page, s, checklist),
    );
    if (blocks.length > 0) {
      lines.push(
        `**Checklist**\n\n${blocks.map((b) => `- ${b.heading} (${countItems(b.markdown)} items)`).join("\n")}`,
      );
    }
  }
  if (goal) lines.push(`**Goal**\n\n${withoutDuration(goal.markdown, m.duration ?? "")}`);
  const levelPage = src.levelPage(from);
  const priorities = levelPage && section(levelPage, "What to improve next");
  if (priorities) lines.push(`**Priorities at level ${from}**\n\n${priorities.markdown}`);
  const body = lines.filter(Boolean).join("\n\n");
  return {
    answer: `${body}${sourceLine(page)}`,
    sources: [
      source(page, goal?.heading ?? page.sections[0]?.heading ?? m.title),
      ...(levelPage && priorities ? [source(levelPage, priorities.heading)] : []),
    ],
    intent: "roadmap",
    confidence: 0.95,
    followUps: [
      ...(checklist
        ? [{ label: "Full checklist", question: `more ${m.id}#${slug(checklist.heading)} 1` }]
        : []),
      { label: `What level ${m.to} looks like`, question: `what is level ${m.to}` },
      ...(src.roadmapFrom(from + 1)
        ? [{ label: `Level ${from + 1} → ${from + 2}`, question: `roadmap from level ${from + 1}` }]
        : []),
    ],
  };
}

/** "Start with model lifecycle management (your weakest)": the checklist blocks that serve it. */
function weakestFocus(
  kb: KnowledgeBase,
  page: Page,
  checklist: Section | undefined,
  weakest: string[],
): string | undefined {
  const names = weakest
    .map((id) => kb.pages.find((p) => p.meta.kind === "component" && p.meta.component === id))
    .filter((p) => p !== undefined)
    .map((p) => stripTitle(p.meta.title));
  if (names.length === 0) return undefined;
  const words = names.flatMap((n) => nameWords(n));
  const blocks = checklist
    ? page.sections.filter(
        (s) =>
          s.depth === 3 &&
          belongsTo(page, s, checklist) &&
          s.index > checklist.index &&
          words.some((w) => s.fullMarkdown.toLowerCase().includes(w) || s.heading.toLowerCase().includes(w)),
      )
    : [];
  const where = blocks.length > 0 ? `: start with ${blocks.map((b) => `_${b.heading}_`).join(", ")}` : "";
  return `**Your weakest: ${names.join(" and ")}**${where}.`;
}

/** Every step of the roadmap, for a question about next steps without a level. */
export function roadmapOverview(src: Roadmaps, relative: boolean): Answer {
  const steps = src.roadmapSteps();
  const list = steps.map(
    (p) => `- Level ${p.meta.from} → ${p.meta.to}: ${stripTitle(p.meta.title)}, ${p.meta.duration}`,
  );
  const intro = relative
    ? "I don't know your team's level yet: run `assess` (or tell me your level, e.g. _next steps from level 2_). The roadmap has four steps:"
    : "The roadmap has four steps, each one level up:";
  return {
    answer: `${intro}\n\n${list.join("\n")}${sourceLine(steps[0])}`,
    sources: steps.map((p) => source(p, "Goal")),
    intent: "roadmap",
    confidence: 0.6,
    followUps: steps.map((p) => ({
      label: `From level ${p.meta.from}`,
      question: `roadmap from level ${p.meta.from}`,
    })),
  };
}
