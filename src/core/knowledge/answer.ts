import { quoted } from "../reply.js";
import {
  firstLines,
  leadWithBest,
  pageLabel,
  round,
  section,
  shortGuide,
  source,
  sourceLine,
  stripTitle,
} from "./answer-text.js";
import type { Answer, AnswerContext, AnswerSource, FollowUp } from "./answer-types.js";
import { CHAT_MAX, chatParts, expandShorthand, splitParts, withoutRepeats } from "./chat.js";
import { chunkMarkdown, truncate } from "./chunk.js";
import { FactTable, type FoundFact, factKindAsked, SCALE_NAME, SCALE_RANGE, unstatedCount } from "./facts.js";
import { detectIntent, detectScale, normaliseQuestion, type Scale } from "./intents.js";
import { slug } from "./markdown.js";
import { distinctPages, nameWords, PROBLEM_WORDS, preferParent, rerank, SUMMARY_WORDS } from "./rank.js";
import { roadmapAnswer, roadmapOverview } from "./roadmap-answer.js";
import { type Hit, SearchIndex } from "./search.js";
import { teamQuestion } from "./team-question.js";
import { contentTerms, tokenize } from "./text.js";
import type { KnowledgeBase, Page, Section } from "./types.js";

export type { Answer, AnswerContext, AnswerIntent, AnswerSource, FollowUp } from "./answer-types.js";

/** Internal limit of a whole answer before it is cut into chat-sized parts. */
export const ANSWER_MAX = 6000;
const PART_MAX = 5000;

/** Answers below this confidence are declined; calibrated on the evaluation set (see bench). */
export const MIN_CONFIDENCE = 0.35;

/** Answers questions from the compiled knowledge base; says so when it does not know. */
export class AnswerEngine {
  readonly index: SearchIndex;
  private readonly roadmaps = new Map<number, Page>();
  private readonly levels = new Map<string, Page>();
  private readonly facts: FactTable;
  private readonly byFile: Map<string, Page>;
  /** Words the guides count ("10-20 core features", "50+ models"): a "how many" about them is in scope. */
  private readonly counted = new Set<string>();
  /** The question being answered as typed, and as read (answers are synchronous: one at a time). */
  private asked = "";
  private read = "";

  constructor(readonly kb: KnowledgeBase) {
    this.index = new SearchIndex(kb);
    this.facts = new FactTable(kb);
    this.byFile = new Map(kb.pages.map((p) => [p.file, p]));
    for (const s of kb.sections)
      for (const m of s.text.toLowerCase().matchAll(/\d\+? ([a-z]+)(?: ([a-z]+))?/g))
        for (const word of [m[1], m[2]]) if (word) this.counted.add(tokenize(word)[0] ?? "");
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

  /** The roadmap's steps, lowest first. */
  roadmapSteps(): Page[] {
    return [...this.roadmaps.values()].sort((a, b) => (a.meta.from ?? 0) - (b.meta.from ?? 0));
  }

  levelPage(level: number, scale: Scale = "tech-ops-1-5"): Page | undefined {
    return this.levels.get(`${scale}:${level}`);
  }

  answer(question: string, context: AnswerContext = {}): Answer {
    const full = this.fullAnswer(question, context);
    return this.fit(full, question, context.part ?? 1);
  }

  private fullAnswer(question: string, context: AnswerContext): Answer {
    this.asked = question.trim().slice(0, 500);
    const trimmed = this.index.correct(expandShorthand(this.asked));
    this.read = trimmed;
    if (!trimmed) return this.unknown(trimmed, []);
    const parts = splitParts(trimmed);
    if (parts.length > 1) return this.multi(parts, context);
    return this.single(trimmed, context);
  }

  /** Several questions in one message: each answered, the later ones read with the first one's topic. */
  private multi(parts: string[], context: AnswerContext): Answer {
    // The first part's topic words, with its level as written ("stage 2"), carry over to later parts.
    const level = /\b(?:level|stage|phase) [0-5]\b/.exec(normaliseQuestion(parts[0] ?? ""))?.[0];
    const topic = [
      ...contentTerms(parts[0] ?? "").filter((t) => !/^\d/.test(t) && !level?.startsWith(t)),
      ...(level ? [level] : []),
    ];
    const answers = parts.map((part, i) => {
      const own = contentTerms(part).filter((t) => this.index.has(t));
      const alone = { ...this.single(part, context), asked: part };
      if (i === 0 || (own.length >= 3 && alone.intent !== "unknown")) return alone;
      const asked = `${part} ${topic.join(" ")}`;
      const withTopic = { ...this.single(asked, context), asked };
      return withTopic.intent === "unknown" ? alone : withTopic;
    });
    const answered = answers.filter((a) => a.intent !== "unknown");
    if (answered.length === 0) return answers[0]!;
    const distinct = answered.filter((a, i) => answered.findIndex((b) => b.answer === a.answer) === i);
    const share = Math.floor(CHAT_MAX / distinct.length);
    const firsts: string[] = [];
    const rests: string[] = [];
    for (const a of distinct) {
      const [first = "", ...rest] = leadWithBest(chatParts(a.answer, share), a.asked ?? "");
      firsts.push(first);
      rests.push(...rest);
    }
    const skipped = answers
      .map((a, i) => (a.intent === "unknown" ? `_The guides don't cover ${quoted(parts[i] ?? "")}._` : ""))
      .filter(Boolean);
    return {
      answer: [...firsts, ...skipped, ...rests].join("\n\n"),
      sources: distinct.flatMap((a) => a.sources),
      intent: distinct[0]!.intent,
      confidence: Math.min(...distinct.map((a) => a.confidence)),
      followUps: distinct.flatMap((a) => a.followUps).slice(0, 3),
    };
  }

  private single(question: string, context: AnswerContext): Answer {
    const outside = this.outOfScope(question);
    if (outside) return outside;
    const team = teamQuestion(question, context.teamLevel);
    if (team.roadmapFrom !== undefined && team.roadmapFrom >= 5) {
      const answer = roadmapAnswer(this, team.roadmapFrom, context);
      return { ...answer, answer: `${team.note}${answer.answer}` };
    }
    const answer = this.route(team.question, context);
    return team.note && answer.intent !== "unknown"
      ? { ...answer, answer: `${team.note}${answer.answer}` }
      : answer;
  }

  private route(trimmed: string, context: AnswerContext): Answer {
    const fact = this.factAnswer(trimmed);
    if (fact) return fact;
    const named = this.namedLevel(normaliseQuestion(trimmed));
    if (named) return named;
    const intent = detectIntent(trimmed);
    switch (intent.kind) {
      case "more":
        return this.more(intent.pageId, intent.anchor, intent.part) ?? this.unknown(trimmed, []);
      case "roadmap": {
        const from = intent.from ?? context.teamLevel;
        if (from === undefined) return roadmapOverview(this, intent.relative);
        const checklist = intent.wantsChecklist ? this.roadmaps.get(from) : undefined;
        const checklistAnswer = checklist && this.more(checklist.meta.id, "checklist", 1);
        if (checklistAnswer) return { ...checklistAnswer, intent: "roadmap", confidence: 0.9 };
        return roadmapAnswer(this, from, context);
      }
      case "level-definition": {
        const answer = this.levelDefinition(intent.level, intent.scale, trimmed);
        if (answer) return answer;
        break;
      }
      case "level-match":
        return this.levelMatch(trimmed, intent.scale ?? "tech-ops-1-5");
      case "alignment":
        return (
          this.crossScale(normaliseQuestion(trimmed)) ??
          this.searchAnswer(trimmed, (s) => s.page.meta.source === "several")
        );
    }
    return this.searchAnswer(trimmed);
  }

  /** "Is enterprise level 3 the same as tech ops level 3?": two levels of different scales, side by side. */
  private crossScale(q: string): Answer | undefined {
    const mentions = [...q.matchAll(/((?:[a-z&]+ ){0,3})(level|stage) ([0-5])\b/g)].map((m) => {
      const scale = detectScale(`${m[1]}${m[2]}`) ?? "tech-ops-1-5";
      return { scale, level: Number(m[3]), page: this.levelPage(Number(m[3]), scale) };
    });
    const [a, b] = mentions;
    if (mentions.length !== 2 || !a?.page || !b?.page || a.scale === b.scale) return undefined;
    if (a.scale === "case-study-0-3" || b.scale === "case-study-0-3") return undefined;
    const primary = (m: typeof a) => (m.scale === "tech-ops-1-5" ? m.level : m.level + 1);
    const label = (m: typeof a) =>
      `${m.scale === "tech-ops-1-5" ? "primary" : m.scale.split("-")[0]} ${m.scale === "research-0-4" ? "stage" : "level"} ${m.level} (${m.page?.meta.name})`;
    const say = (m: typeof a) =>
      m.scale === "tech-ops-1-5"
        ? `${label(m)} is a level of the Technology & Operations scale itself`
        : `${label(m)} sits at roughly primary level ${primary(m)} (${this.levelPage(primary(m))?.meta.name})`;
    const same = primary(a) === primary(b);
    const alignment = this.kb.pages.find((p) => p.meta.source === "several");
    const first = alignment?.sections[0];
    return {
      answer:
        `${same ? "Roughly, yes" : "No"}: ${say(a)}, and ${say(b)}. ` +
        "Rule of thumb: research stage N and enterprise level N sit at primary level N+1; the match is approximate higher up.",
      sources: alignment && first ? [source(alignment, first.heading)] : [],
      intent: "fact",
      confidence: 0.85,
      followUps: alignment ? [{ label: "How the scales line up", question: alignment.meta.title }] : [],
    };
  }

  /** "What does the tracked level mean": a level asked for by its name alone. */
  private namedLevel(q: string): Answer | undefined {
    if (/\d/.test(q)) return undefined;
    const scale = detectScale(q);
    const pages = [...this.levels.values()].filter((p) => {
      const name = (p.meta.name ?? "").toLowerCase().split(/[(/]/)[0]!.trim();
      return (
        name.length > 3 &&
        (!scale || p.meta.scale === scale) &&
        new RegExp(`\\b${name} (?:level|stage)\\b|\\b(?:level|stage) ${name}\\b`).test(q)
      );
    });
    const page = pages.length === 1 ? pages[0] : undefined;
    return page?.meta.level !== undefined
      ? this.levelDefinition(page.meta.level, page.meta.scale as Scale, q)
      : undefined;
  }

  /** A figure asked for a level ("incident rate at level 4", "cost to get to level 3"), from front matter. */
  private factAnswer(question: string): Answer | undefined {
    const q = normaliseQuestion(question);
    const about = factKindAsked(q);
    if (!about) return undefined;
    // Phase N of the research roadmap is the climb to its stage N.
    const levels = [
      ...q.replace(/\bphase ([1-4])\b/g, "stage $1").matchAll(/\b(level|lvl|stage|tier|l)\s*#?\s*([0-5])\b/g),
    ];
    const range = /\b(?:level|stage)s? ?([0-5]) ?(?:-|to) ?([0-5])\b/.exec(q);
    if (levels.length !== 1 && !range) return undefined;
    const scale = detectScale(q) ?? (levels[0]?.[1] === "stage" ? "research-0-4" : undefined);
    // Durations and exit scores of the primary scale are the roadmap's to answer.
    if ((about === "duration" || about === "exit-score") && (scale ?? "tech-ops-1-5") === "tech-ops-1-5")
      return undefined;
    const level = Number(range ? range[2] : levels[0]![2]);
    const found =
      this.facts.find(about, level, scale) ??
      (range ? this.facts.find(about, Number(range[1]), scale) : undefined);
    return found && this.factReply(found);
  }

  private factReply(found: FoundFact): Answer {
    const { fact, page } = found;
    const said = fact.says.replace(fact.value, `**${fact.value}**`);
    const mapping =
      found.mappedFrom !== undefined
        ? `\n\nLevel ${found.mappedFrom} is on the primary Technology & Operations scale, which states no ${fact.about.replace("-", " ")}; on the ${SCALE_NAME[fact.scale]} it is roughly ${fact.scale === "research-0-4" ? "stage" : "level"} ${found.level}.`
        : "";
    const held = page.sections.find((s) => s.markdown.includes(fact.value)) ?? page.sections[0];
    return {
      answer: `${said}${mapping}`,
      sources: [source(page, held?.heading ?? page.meta.title)],
      intent: "fact",
      confidence: 0.9,
      followUps: [{ label: truncate(stripTitle(page.meta.title), 60), question: page.meta.title }],
    };
  }

  /** Questions the guides cannot answer: a level off its scale, a product or standard they never name. */
  private outOfScope(question: string): Answer | undefined {
    const q = normaliseQuestion(question);
    const scale = detectScale(q);
    for (const m of q.matchAll(/\b(level|lvl|stage|tier|phase)\s*#?\s*(\d{1,3})\b/g)) {
      const n = Number(m[2]);
      const own = scale ?? (m[1] === "stage" ? "research-0-4" : undefined);
      const [lo, hi] = m[1] === "phase" ? [1, 4] : own ? SCALE_RANGE[own] : [0, 5];
      if (n < lo || n > hi) {
        const where =
          m[1] === "phase"
            ? "research guide's roadmap has phases 1-4"
            : own
              ? `${SCALE_NAME[own]} runs from ${lo} to ${hi}`
              : "guides' scales run from 0 to 5 at most";
        return this.decline(question, `The ${where}: there is no ${m[1]} ${n}.`);
      }
    }
    const count = unstatedCount(q);
    if (count && !this.counted.has(tokenize(count)[0] ?? ""))
      return this.decline(question, `The guides give no figure for how many ${quoted(count)}.`);
    if (factKindAsked(q) === "market-share" && !/\b(?:level|stage)\b/.test(q))
      return this.decline(
        question,
        "The guides give market shares only for the research stages, not for products.",
      );
    const terms = contentTerms(question).filter((t) => !/^(?:l|lv|lvl)?\d/.test(t));
    const unknown = terms.filter((t) => this.index.known([t]) === 0);
    if (unknown.length >= 2 && unknown.length * 2 >= terms.length)
      return this.decline(question, "The guides don't cover that.");
    const strange = this.unknownNames(question);
    if (strange.length > 0)
      return this.decline(question, `The guides don't mention ${strange.map((w) => quoted(w)).join(", ")}.`);
    return undefined;
  }

  /** Names in the question (capitalised, all caps or with digits) that the knowledge base never uses. */
  private unknownNames(question: string): string[] {
    const words = question.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
    return words.filter((w, i) => {
      const bare = w.replace(/'s$/i, "");
      const looksLikeName =
        (i > 0 && /^\p{Lu}/u.test(bare) && !/^(?:I|AI|ML|MLOps)$/.test(bare)) ||
        /^\p{Lu}{2,}s?$/u.test(bare) ||
        /^\d{3,}$/.test(bare);
      if (!looksLikeName || bare.length < 2) return false;
      const terms = tokenize(bare);
      return terms.length > 0 && this.index.known(terms) === 0;
    });
  }

  private decline(question: string, why: string): Answer {
    const base = this.unknown(question, []);
    return { ...base, answer: `${why} ${base.answer}`, confidence: 0 };
  }

  /** The next roadmap step from a level, with its duration first. */
  roadmap(from: number, context: AnswerContext = {}): Answer {
    return this.fit(roadmapAnswer(this, from, context), `roadmap from level ${from}`, context.part ?? 1);
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
    const figures = page.meta.facts
      .filter((f) => f.about === "models" || f.about === "deployment-time")
      .map((f) => f.says)
      .join(" ");
    const heading = `**${page.meta.title}**${figures ? `\n\n${figures}` : ""}`;
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
    const heading = `${caveat}**${s.heading}**`;
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
    const parts = ["Solutions", "Symptom", "Root causes"]
      .map((h) => section(page, h))
      .filter((s) => s !== undefined);
    const body = parts.map((s) => `**${s.heading}**\n\n${s.markdown}`).join("\n\n");
    return {
      answer: `This is the challenge the guide calls **${page.meta.title}**.\n\n${body}${sourceLine(page)}`,
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
    // The whole question is echoed as the person typed it, not as read (typos corrected, shorthand spelt out).
    const typed = question === this.read ? this.asked : question;
    const echo = quoted(truncate(typed.replace(/\s+/g, " "), 80));
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

  /** Cuts an answer into chat-sized parts and gives the one asked for, with one human source line. */
  private fit(full: Answer, question: string, part: number): Answer {
    const text = withoutRepeats(full.answer.replace(/^#{1,6} +(.+)$/gm, "**$1**"));
    const parts = full.intent === "fact" ? leadWithBest(chatParts(text), question) : chatParts(text);
    const index = Math.min(Math.max(part, 1), parts.length) - 1;
    const line = this.sourceLine(full.sources);
    const more: FollowUp[] =
      index + 1 < parts.length ? [{ label: "More", question: question.slice(0, 300), part: index + 2 }] : [];
    return {
      ...full,
      answer: `${parts[index]}${line}`,
      followUps: [...more, ...(index === 0 ? full.followUps.filter((f) => f.label !== "More") : [])],
    };
  }

  /** "Source: Technology & Operations guide, level 2 → 3 roadmap": the pages cited, in words. */
  private sourceLine(sources: AnswerSource[]): string {
    const pages = [...new Set(sources.map((s) => s.file))]
      .map((file) => this.byFile.get(file))
      .filter((p) => p !== undefined)
      .slice(0, 2);
    if (pages.length === 0) return "";
    const label = pages.map((p) => `${shortGuide(p.meta.source)}, ${pageLabel(p)}`).join("; ");
    return `\n\n_${pages.length > 1 ? "Sources" : "Source"}: ${label}_`;
  }
}
