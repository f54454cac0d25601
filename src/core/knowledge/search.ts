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
  private readonly scored = new Map<string, { docs: Int32Array; values: Float64Array }>();
  private readonly lengths: number[] = [];
  private readonly avgLength: number;
  private readonly vocabulary = new Set<string>();
  /** Terms of each section's own heading: a question that repeats a heading wants that section. */
  private readonly headingTerms: Set<string>[] = [];
  /** Sections by the terms of their own heading. */
  private readonly headed = new Map<string, number[]>();
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
      const headingTerms = new Set(tokenize(section.heading));
      this.headingTerms[section.index] = headingTerms;
      for (const t of headingTerms) {
        const docs = this.headed.get(t);
        if (docs) docs.push(section.index);
        else this.headed.set(t, [section.index]);
      }
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
    // Each posting's BM25 term-frequency part, computed once: a question only multiplies it by the idf.
    for (const [term, list] of this.postings) {
      const docs = new Int32Array(list.length);
      const values = new Float64Array(list.length);
      for (const [i, { doc, tf }] of list.entries()) {
        docs[i] = doc;
        values[i] = ((K1 + 1) * tf) / (tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.avgLength));
      }
      this.scored.set(term, { docs, values });
    }
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
    const n = this.kb.sections.length;
    const score = new Float64Array(n);
    const matched = new Uint16Array(n);
    const weight = new Float64Array(n);
    const touched: number[] = [];
    // Per term: the best value a section gets through the term itself or one of its synonyms.
    const best = new Float64Array(n);
    const bestWeight = new Float64Array(n);
    const maxIdf = this.idf("\u0000");
    const termWeight = (t: string) => (this.vocabulary.has(t) ? this.idf(t) : maxIdf);
    const totalWeight = terms.reduce((sum, t) => sum + termWeight(t), 0) || 1;
    for (const term of terms) {
      const full = termWeight(term);
      const seen: number[] = [];
      const visit = (candidate: string, factor: number) => {
        const list = this.scored.get(candidate);
        if (!list) return;
        const idf = this.idf(candidate) * factor;
        const credit = factor === 1 ? full : full * 0.6;
        const { docs, values } = list;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          const value = idf * values[i]!;
          if (value > best[doc]!) {
            if (best[doc] === 0) seen.push(doc);
            best[doc] = value;
            bestWeight[doc] = credit;
          }
        }
      };
      visit(term, 1);
      for (const synonym of synonymsOf(term)) if (!terms.includes(synonym)) visit(synonym, SYNONYM_WEIGHT);
      for (const doc of seen) {
        if (matched[doc] === 0) touched.push(doc);
        score[doc]! += best[doc]!;
        matched[doc]!++;
        weight[doc]! += bestWeight[doc]!;
        best[doc] = 0;
      }
    }
    // A heading that says the question's word counts fully; one that says a synonym, half.
    const said = new Float64Array(n);
    for (const t of terms) {
      for (const doc of this.headed.get(t) ?? []) said[doc]! += 1;
      const viaSynonym = new Set<number>();
      for (const x of synonymsOf(t))
        for (const doc of this.headed.get(x) ?? []) if (!this.headingTerms[doc]!.has(t)) viaSynonym.add(doc);
      for (const doc of viaSynonym) said[doc]! += 0.5;
    }
    const hits: Hit[] = [];
    for (const doc of touched) {
      const section = this.kb.sections[doc]!;
      if (options.filter && !options.filter(section)) continue;
      const inHeading = said[doc]! / terms.length;
      hits.push({
        section,
        score: score[doc]! * (0.5 + matched[doc]! / (2 * terms.length)) * (1 + HEADING_BONUS * inHeading),
        matched: matched[doc]!,
        coverage: weight[doc]! / totalWeight,
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
