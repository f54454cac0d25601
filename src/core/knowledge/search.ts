import SearchableMap from "minisearch/SearchableMap";
import { synonymsOf, tokenize } from "./text.js";
import type { KnowledgeBase, Page, Section } from "./types.js";

/** Field weights: a word in a page's title or aliases says more than the same word in a paragraph. */
const BOOST = { title: 1, aliases: 2, heading: 3, body: 1 } as const;
const K1 = 2;
const B = 0.6;
const SYNONYM_WEIGHT = 0.4;
const HEADING_BONUS = 1.5;

export interface Hit {
  section: Section;
  score: number;
  /** Distinct query terms (or their synonyms) the section contains. */
  matched: number;
  /** Share of the question's weight (rare words weigh more; unknown words most) that the section covers. */
  coverage: number;
}

export interface SearchOptions {
  limit?: number;
  filter?: (section: Section) => boolean;
}

/** BM25F over sections, with page titles and aliases as a boosted field. */
export class SearchIndex {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly avgLength: number;
  private readonly vocabulary = new Set<string>();
  /** Terms of each section's own heading: a question that repeats a heading wants that section. */
  private readonly headingTerms: Set<string>[] = [];
  /** Every word of the knowledge base as written, with its count: MiniSearch's radix tree, for typos. */
  private readonly words: SearchableMap<number>;
  private readonly corrections = new Map<string, string>();

  constructor(readonly kb: KnowledgeBase) {
    // Counted in a plain map first: the radix tree then takes each distinct word once.
    const counts = new Map<string, number>();
    const countWords = (text: string) => {
      for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u))
        if (word.length >= 3) counts.set(word, (counts.get(word) ?? 0) + 1);
    };
    const pageTerms = new Map<Page, { title: string[]; aliases: string[] }>();
    for (const section of kb.sections) {
      const page = section.page;
      let own = pageTerms.get(page);
      if (!own) {
        own = { title: tokenize(page.meta.title), aliases: tokenize(page.meta.aliases.join(" ")) };
        pageTerms.set(page, own);
        countWords(`${page.meta.title} ${page.meta.aliases.join(" ")}`);
      }
      const weights = new Map<string, number>();
      const add = (terms: string[], boost: number) => {
        for (const t of terms) weights.set(t, (weights.get(t) ?? 0) + boost);
      };
      add(own.title, BOOST.title);
      add(own.aliases, BOOST.aliases);
      add(tokenize(section.path.slice(1).join(" ")), BOOST.heading);
      this.headingTerms[section.index] = new Set(tokenize(section.heading));
      countWords(`${section.heading} ${section.text}`);
      const body = tokenize(section.text);
      add(body, BOOST.body);
      this.lengths[section.index] = body.length + 8;
      for (const [term, tf] of weights) {
        this.vocabulary.add(term);
        let list = this.postings.get(term);
        if (!list) {
          list = [];
          this.postings.set(term, list);
        }
        list.push({ doc: section.index, tf });
      }
    }
    this.words = SearchableMap.from(counts);
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.avgLength = this.lengths.length > 0 ? total / this.lengths.length : 1;
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
  }

  idf(term: string): number {
    const n = this.kb.sections.length;
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  search(question: string, options: SearchOptions = {}): Hit[] {
    return this.searchTerms([...new Set(tokenize(question))], options);
  }

  searchTerms(terms: string[], options: SearchOptions = {}): Hit[] {
    const scores = new Map<number, { score: number; matched: number; weight: number }>();
    const maxIdf = this.idf("\u0000");
    const termWeight = (t: string) => (this.vocabulary.has(t) ? this.idf(t) : maxIdf);
    const totalWeight = terms.reduce((sum, t) => sum + termWeight(t), 0) || 1;
    for (const term of terms) {
      const full = termWeight(term);
      // A term scores once per section: through itself, or through its best synonym at a lower weight.
      const best = new Map<number, { value: number; weight: number }>();
      const visit = (candidate: string, weight: number) => {
        const list = this.postings.get(candidate);
        if (!list) return;
        const idf = this.idf(candidate) * weight;
        for (const { doc, tf } of list) {
          const norm = tf / (tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.avgLength));
          const value = idf * norm * (K1 + 1);
          if (value > (best.get(doc)?.value ?? 0))
            best.set(doc, { value, weight: weight === 1 ? full : full * 0.6 });
        }
      };
      visit(term, 1);
      for (const synonym of synonymsOf(term)) if (!terms.includes(synonym)) visit(synonym, SYNONYM_WEIGHT);
      for (const [doc, { value, weight }] of best) {
        const entry = scores.get(doc);
        if (entry) {
          entry.score += value;
          entry.matched++;
          entry.weight += weight;
        } else scores.set(doc, { score: value, matched: 1, weight });
      }
    }
    const hits: Hit[] = [];
    for (const [doc, { score, matched, weight }] of scores) {
      const section = this.kb.sections[doc]!;
      if (options.filter && !options.filter(section)) continue;
      const heading = this.headingTerms[doc]!;
      // A heading that says the question's word counts fully; one that says a synonym, half.
      let said = 0;
      for (const t of terms) said += heading.has(t) ? 1 : synonymsOf(t).some((x) => heading.has(x)) ? 0.5 : 0;
      const inHeading = said / terms.length;
      hits.push({
        section,
        score: score * (0.5 + matched / (2 * terms.length)) * (1 + HEADING_BONUS * inHeading),
        matched,
        coverage: weight / totalWeight,
      });
    }
    hits.sort((a, b) => b.score - a.score || a.section.index - b.section.index);
    return hits.slice(0, options.limit ?? 10);
  }

  /**
   * Rewrites misspelt lowercase words ("moniter", "retrainig", "partnr") to the nearest word the
   * knowledge base uses: one edit for words up to 5 letters, two beyond; the most frequent wins a tie.
   */
  correct(text: string): string {
    return text.replace(/\b[a-z]{5,}\b/g, (word) => {
      const cached = this.corrections.get(word);
      if (cached !== undefined) return cached;
      let best: { word: string; distance: number; count: number } | undefined;
      if (!this.words.has(word) && this.known(tokenize(word)) === 0) {
        for (const [candidate, [count, distance]] of this.words.fuzzyGet(word, word.length <= 6 ? 1 : 2)) {
          if (!best || distance < best.distance || (distance === best.distance && count > best.count))
            best = { word: candidate, distance, count };
        }
      }
      if (this.corrections.size < 10_000) this.corrections.set(word, best?.word ?? word);
      return best?.word ?? word;
    });
  }

  /** How many of the terms the knowledge base knows at all (directly or through a synonym). */
  known(terms: string[]): number {
    return terms.filter((t) => this.vocabulary.has(t) || synonymsOf(t).some((s) => this.vocabulary.has(s)))
      .length;
  }
}
