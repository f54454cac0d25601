import { quoted } from "../reply.js";
import { chunkMarkdown, truncate } from "./chunk.js";
import { detectIntent, detectScale, normaliseQuestion, type Scale } from "./intents.js";
import { slug } from "./markdown.js";
import { distinctPages, nameWords, PROBLEM_WORDS, preferParent, rerank, SUMMARY_WORDS } from "./rank.js";
import { type Hit, SearchIndex } from "./search.js";
import { guideName } from "./sources.js";
import { contentTerms, tokenize } from "./text.js";
import type { KnowledgeBase, Page, Section } from "./types.js";

export const ANSWER_MAX = 1500;
const PART_MAX = 1300;

export interface AnswerSource {
  file: string;
  heading: string;
}

export interface FollowUp {
  label: string;
  question: string;
}

export type AnswerIntent =
  | "roadmap"
  | "level-definition"
  | "level-match"
  | "challenge"
  | "fact"
  | "more"
  | "unknown";

export interface Answer {
  answer: string;
  sources: AnswerSource[];
  intent: AnswerIntent;
  confidence: number;
  followUps: FollowUp[];
}

export interface AnswerContext {
  /** The asker's team level on the primary 1-5 scale, when they belong to an assessed team. */
  teamLevel?: number;
  teamName?: string;
}

const MIN_CONFIDENCE = 0.35;

/** Answers questions from the compiled knowledge base; says so when it does not know. */
export class AnswerEngine {
  readonly index: SearchIndex;
  private readonly roadmaps = new Map<number, Page>();
  private readonly levels = new Map<string, Page>();

  constructor(readonly kb: KnowledgeBase) {
    this.index = new SearchIndex(kb);
    for (const page of kb.pages) {
      const m = page.meta;
      if (m.kind === "roadmap" && m.from !== undefined) this.roadmaps.set(m.from, page);
      if (m.kind === "level" && m.scale && m.level !== undefined)
        this.levels.set(`${m.scale}:${m.level}`, page);
    }
  }

  roadmapFrom(level: number): Page | undefined {
    return this.roadmaps.get(level);
  }

  levelPage(level: number, scale: Scale = "tech-ops-1-5"): Page | undefined {
    return this.levels.get(`${scale}:${level}`);
  }

  answer(question: string, context: AnswerContext = {}): Answer {
    const trimmed = question.trim().slice(0, 500);
    if (!trimmed) return this.unknown(trimmed, []);
    const intent = detectIntent(trimmed);
    switch (intent.kind) {
      case "more":
        return this.more(intent.pageId, intent.anchor, intent.part) ?? this.unknown(trimmed, []);
      case "roadmap": {
        const from = intent.from ?? context.teamLevel;
        if (from === undefined) return this.roadmapOverview(intent.relative);
        const checklist = intent.wantsChecklist ? this.roadmaps.get(from) : undefined;
        const checklistAnswer = checklist && this.more(checklist.meta.id, "checklist", 1);
        if (checklistAnswer) return { ...checklistAnswer, intent: "roadmap", confidence: 0.9 };
        return this.roadmap(from, intent.relative && intent.from === undefined ? context : {});
      }
      case "level-definition": {
        const answer = this.levelDefinition(intent.level, intent.scale, trimmed);
        if (answer) return answer;
        break;
      }
      case "level-match":
        return this.levelMatch(trimmed, intent.scale ?? "tech-ops-1-5");
      case "alignment":
        return this.searchAnswer(trimmed, (s) => s.page.meta.source === "several");
    }
    return this.searchAnswer(trimmed);
  }

  /** The next roadmap step from a level, with its duration first. */
  roadmap(from: number, context: AnswerContext = {}): Answer {
    const page = this.roadmaps.get(from);
    if (!page) {
      const top = this.levelPage(5);
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
    const lines = [
      `${who}**Level ${m.from} → ${m.to}** takes **${m.duration}**: ${stripTitle(m.title)}.`,
      goal ? firstLines(withoutDuration(goal.markdown, m.duration ?? ""), 350) : "",
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
    if (criteria) lines.push(`**Success criteria**\n\n${truncate(criteria.markdown, 500)}`);
    const levelPage = this.levelPage(from);
    const priorities = levelPage && section(levelPage, "What to improve next");
    if (priorities)
      lines.splice(2, 0, `**Priorities at level ${from}**\n\n${truncate(priorities.markdown, 300)}`);
    const body = truncate(lines.filter(Boolean).join("\n\n"), ANSWER_MAX - 120);
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
        ...(this.roadmaps.has(from + 1)
          ? [{ label: `Level ${from + 1} → ${from + 2}`, question: `roadmap from level ${from + 1}` }]
          : []),
      ],
    };
  }

  private roadmapOverview(relative: boolean): Answer {
    const steps = [...this.roadmaps.values()].sort((a, b) => (a.meta.from ?? 0) - (b.meta.from ?? 0));
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

  private levelDefinition(level: number, scale: Scale | undefined, question: string): Answer | undefined {
    let page: Page | undefined;
    // "level 3 monitored" names the enterprise scale's level 3 even without saying "enterprise".
    const byName = [...this.levels.values()].find(
      (p) =>
        p.meta.level === level &&
        nameWords(p.meta.name).some((w) => new RegExp(`\\b${w}`).test(normaliseQuestion(question))),
    );
    if (scale) page = this.levelPage(level, scale);
    else if (byName) page = byName;
    else if (level >= 1) page = this.levelPage(level);
    else {
      // Level 0 exists on several scales: take the one the rest of the question fits best.
      const hits = this.index.search(question, {
        filter: (s) => s.page.meta.kind === "level" && s.page.meta.level === 0,
      });
      page = hits[0]?.section.page ?? this.levelPage(0, "enterprise-0-4");
    }
    if (!page) return undefined;
    const parts = page.sections.filter((s) => s.depth === 2).slice(0, 3);
    const heading = `**${page.meta.title}**`;
    const body = parts.map((s) => `**${s.heading}**\n\n${s.markdown}`).join("\n\n");
    const chunks = chunkMarkdown(body, PART_MAX - heading.length);
    const first = parts[0];
    return {
      answer: `${heading}\n\n${chunks[0]}${sourceLine(page)}`,
      sources: [source(page, first?.heading ?? page.meta.title)],
      intent: "level-definition",
      confidence: 0.9,
      followUps: [
        ...(chunks.length > 1 && first
          ? [{ label: "More", question: `more ${page.meta.id}#${slug(first.heading)} 2` }]
          : []),
        ...(page.meta.scale === "tech-ops-1-5" && this.roadmaps.has(level)
          ? [{ label: `Roadmap ${level} → ${level + 1}`, question: `roadmap from level ${level}` }]
          : []),
      ],
    };
  }

  private levelMatch(question: string, scale: Scale): Answer {
    const scores = new Map<number, number>();
    const hits = this.index.search(question, {
      limit: 40,
      filter: (s) =>
        (s.page.meta.kind === "level" && s.page.meta.scale === scale) ||
        (scale === "tech-ops-1-5" && s.page.meta.kind === "question" && /^level [1-5]$/i.test(s.heading)),
    });
    for (const hit of hits) {
      const level =
        hit.section.page.meta.kind === "level"
          ? hit.section.page.meta.level
          : Number(hit.section.heading.slice(-1));
      if (level !== undefined) scores.set(level, (scores.get(level) ?? 0) + hit.score);
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    const best = ranked[0];
    const page = best ? this.levelPage(best[0], scale) : undefined;
    if (!best || !page || best[1] < 2) return this.searchAnswer(question);
    const total = ranked.reduce((sum, [, s]) => sum + s, 0);
    const looks = section(page, "What it looks like");
    const signs = section(page, "Typical signs");
    return {
      answer:
        `From what you describe, that sounds like **${page.meta.title}**.\n\n${firstLines(looks?.markdown ?? "", 550)}\n\n` +
        (signs ? `**${signs.heading}**\n\n${firstLines(signs.markdown, 550)}\n\n` : "") +
        `This is a rough match on your words; \`assess\` gives the team a real score.${sourceLine(page)}`,
      sources: [source(page, looks?.heading ?? "What it looks like")],
      intent: "level-match",
      confidence: round(Math.min(0.9, 0.4 + best[1] / total / 2)),
      followUps: [
        { label: "Take the assessment", question: "assess" },
        ...(scale === "tech-ops-1-5" && this.roadmaps.has(best[0])
          ? [{ label: "Next steps", question: `roadmap from level ${best[0]}` }]
          : []),
      ],
    };
  }

  private searchAnswer(question: string, only?: (s: Section) => boolean): Answer {
    const terms = contentTerms(question);
    // The question bank paraphrases the tech-ops pages; answers quote the pages themselves.
    const filter = (s: Section) => s.page.meta.kind !== "question" && (!only || only(s));
    const hits = rerank(
      this.index.searchTerms(terms, { limit: 12, filter }),
      normaliseQuestion(question),
      !!only,
    );
    const top = hits[0];
    const confidence = top ? this.confidence(terms, top) : 0;
    if (!top || confidence < MIN_CONFIDENCE)
      return only ? this.searchAnswer(question) : this.unknown(question, hits);

    const problem = PROBLEM_WORDS.test(normaliseQuestion(question));
    const challenge = hits
      .slice(0, problem ? 5 : 1)
      .find((h) => h.section.page.meta.kind === "challenge" && h.score >= top.score * (problem ? 0.5 : 1));
    if (challenge) return this.challenge(challenge.section.page, confidence);

    const q = normaliseQuestion(question);
    const step = this.otherScaleStep(q);
    const unknownWords = [
      ...new Set(
        question
          .toLowerCase()
          .split(/[^\p{L}\p{N}-]+/u)
          .filter(
            (w) => confidence < 0.55 && w.length >= 4 && tokenize(w).some((t) => this.index.known([t]) === 0),
          ),
      ),
    ];
    if (step) return this.quote(step, hits, confidence, unknownWords);
    const chosen = preferParent(hits, top).section;
    // "tl;dr of ..." asks for a page's opening, not the section that happens to repeat a word.
    const s = SUMMARY_WORDS.test(q) && chosen.page.sections[0] ? chosen.page.sections[0] : chosen;
    return this.quote(s, hits, confidence, unknownWords);
  }

  /** "We're basic, how do we get to intermediate?" on a scale other than the primary one. */
  private otherScaleStep(q: string): Section | undefined {
    const scale = detectScale(q);
    if (!scale || scale === "tech-ops-1-5" || !/get to|move to|reach|improve|next|move up|progress/.test(q))
      return undefined;
    const named = [...this.levels.values()]
      .filter(
        (p) => p.meta.scale === scale && nameWords(p.meta.name).some((w) => new RegExp(`\\b${w}`).test(q)),
      )
      .sort((a, b) => (a.meta.level ?? 0) - (b.meta.level ?? 0));
    const current = named[0];
    return current && (section(current, "What to improve next") ?? undefined);
  }

  private quote(s: Section, hits: Hit[], confidence: number, unknownWords: string[]): Answer {
    const markdown = s.depth === 2 ? s.fullMarkdown : s.markdown;
    // Say what was not found rather than let a near topic pass for an answer.
    const caveat =
      unknownWords.length > 0
        ? `_Nothing in the guides covers "${unknownWords.join('", "')}"; the closest topic:_\n\n`
        : "";
    const heading = `${caveat}**${s.path.join(" › ")}**`;
    const chunks = chunkMarkdown(markdown, PART_MAX - heading.length);
    const related = distinctPages(hits.slice(1), s.page).slice(0, 2);
    return {
      answer: `${heading}\n\n${chunks[0]}${sourceLine(s.page)}`,
      sources: [source(s.page, s.heading)],
      intent: "fact",
      confidence,
      followUps: [
        ...(chunks.length > 1
          ? [{ label: "More", question: `more ${s.page.meta.id}#${slug(s.heading)} 2` }]
          : []),
        ...related.map((h) => ({
          label: truncate(h.section.heading, 60),
          question: `${h.section.page.meta.title}: ${h.section.heading}`,
        })),
      ],
    };
  }

  private challenge(page: Page, confidence: number): Answer {
    const parts = ["Symptom", "Root causes", "Solutions"]
      .map((h) => section(page, h))
      .filter((s) => s !== undefined);
    const body = parts.map((s) => `**${s.heading}**\n\n${s.markdown}`).join("\n\n");
    return {
      answer: `This is the challenge the guide calls **${page.meta.title}**.\n\n${truncate(body, ANSWER_MAX - 200)}${sourceLine(page)}`,
      sources: [source(page, "Solutions")],
      intent: "challenge",
      confidence: Math.max(confidence, 0.6),
      followUps: [{ label: "Next steps for our level", question: "what should we do next?" }],
    };
  }

  /** One part of a long section, reached through a "More" follow-up. */
  more(pageId: string, anchor: string, part: number): Answer | undefined {
    const page = this.kb.byId.get(pageId);
    const s = page?.sections.find((x) => slug(x.heading) === anchor) ?? page?.sections[0];
    if (!page || !s) return undefined;
    const heading = `**${s.path.join(" › ")}**`;
    const chunks = chunkMarkdown(s.depth === 2 ? s.fullMarkdown : s.markdown, PART_MAX - heading.length - 12);
    const index = Math.min(Math.max(part, 1), chunks.length) - 1;
    const label = chunks.length > 1 ? ` (${index + 1}/${chunks.length})` : "";
    return {
      answer: `${heading}${label}\n\n${chunks[index]}${sourceLine(page)}`,
      sources: [source(page, s.heading)],
      intent: "more",
      confidence: 1,
      followUps:
        index + 1 < chunks.length
          ? [{ label: "More", question: `more ${page.meta.id}#${slug(s.heading)} ${index + 2}` }]
          : [],
    };
  }

  private confidence(terms: string[], top: Hit): number {
    if (terms.length === 0) return 0;
    // Both must hold: the section covers the question's rarer words, and it matches them strongly.
    const strength = Math.min(1, top.score / 12);
    return round(Math.sqrt(top.coverage) * strength);
  }

  private unknown(question: string, hits: Hit[]): Answer {
    const topics = distinctPages(hits, undefined).slice(0, 3);
    const fallback = [
      "what does level 3 mean",
      "how long does level 2 to 3 take",
      "our models keep degrading",
    ];
    const suggestions = topics.length > 0 ? topics.map((h) => h.section.page.meta.title) : fallback;
    const echo = quoted(truncate(question.replace(/\s+/g, " "), 80));
    const asked = echo ? ` about ${echo}` : "";
    return {
      answer:
        `I don't know${asked}: the knowledge base doesn't cover it, and I'd rather not guess.\n\n` +
        `Nearest topics I can answer:\n\n${suggestions.map((t) => `- ${t}`).join("\n")}`,
      sources: [],
      intent: "unknown",
      confidence:
        topics.length > 0 && hits[0] ? round(Math.min(MIN_CONFIDENCE - 0.01, hits[0].score / 40)) : 0,
      followUps: suggestions.map((t) => ({ label: truncate(t, 60), question: t })),
    };
  }
}

function section(page: Page, heading: string): Section | undefined {
  const wanted = heading.toLowerCase();
  return page.sections.find((s) => s.depth === 2 && s.heading.toLowerCase() === wanted);
}

function belongsTo(page: Page, child: Section, parent: Section): boolean {
  const next = page.sections.find((s) => s.index > parent.index && s.depth <= parent.depth);
  return next === undefined || child.index < next.index;
}

function countItems(markdown: string): number {
  return markdown.split("\n").filter((l) => /^\s*[-*+]\s/.test(l)).length;
}

function source(page: Page, heading: string) {
  return { file: page.file, heading };
}

function sourceLine(page: Page | undefined): string {
  return page ? `\n\n_Source: ${guideName(page.meta.source)}_` : "";
}

function firstLines(markdown: string, max: number): string {
  return truncate(markdown.trim(), max);
}

function withoutDuration(markdown: string, duration: string): string {
  const lines = markdown.split("\n");
  const first = lines[0] ?? "";
  return duration && normaliseQuestion(first).includes(normaliseQuestion(duration)) && lines.length > 1
    ? lines.slice(1).join("\n").trim()
    : markdown;
}

function stripTitle(title: string): string {
  const colon = title.indexOf(":");
  return colon >= 0 ? title.slice(colon + 1).trim() : title;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
