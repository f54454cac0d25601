import type { Fact, FactKind, KnowledgeBase, Page, ScaleId } from "./types.js";

/** Figures per level: which figure a question asks for, and where the guides state it. */

const ASKS: [FactKind, RegExp][] = [
  ["cost", /\b(?:cost|costs|budget|invest(?:ment)?|price|spend|how much money|how much will it)\b|\$/],
  ["success-rate", /\bsuccess rate|\bchance|\bhow many (?:succeed|make it)|\bsucceed\b/],
  [
    "market-share",
    /\b(?:market share|share of (?:orgs|organi[sz]ations|companies)|what share|percent(?:age)? of (?:orgs|organi[sz]ations|companies)|how many (?:orgs|organi[sz]ations|companies))/,
  ],
  ["exit-score", /\b(?:exit score|what score|score (?:do|should) we|re-?assessment score)/],
  ["incident-rate", /\bincident|\bfailure rate|\bhow often do (?:models|they) fail/],
  [
    "models",
    /\bwho (?:needs|should (?:aim|go) for)|\bhow many models|\bmodels (?:in|into) (?:prod|production)|\bnumber of models|\bhow many (?:production )?models/,
  ],
  [
    "deployment-time",
    /\b(?:deploy(?:ment)? (?:time|speed)|how (?:fast|quick(?:ly)?|long)\b.*\bdeploy|deploy(?:ments?)? (?:take|be))/,
  ],
  ["tools", /\b(?:tools?|stack|technolog(?:y|ies)|software)\b/],
  ["duration", /\b(?:how long|duration|timeline|last|stay)\b/],
];

export function factKindAsked(q: string): FactKind | undefined {
  // The guide's name is no question about technology.
  const asked = q.replace(/\btech(?:nology)?(?: ?&| and)? ?op(?:eration)?s\b/g, "guide");
  return ASKS.find(([, pattern]) => pattern.test(asked))?.[0];
}

/** A figure the question asks about that no guide states for any level ("how many GPUs"). */
export function unstatedCount(q: string): string | undefined {
  const m = /\bhow many ([a-z]+(?: [a-z]+)?)/.exec(q);
  if (!m) return undefined;
  // "how many GPUs does ...": the verb after the noun is no part of it.
  const noun = m[1]!.replace(
    / (?:do|does|did|is|are|was|were|should|shall|will|would|can|could|we|you|they|a|an|the|to|in|at|on|for|of)$/,
    "",
  );
  return /^(?:production )?models?\b|^(?:orgs|organi[sz]ations|companies|teams|months|weeks|years|days|steps|phases|levels|stages|questions|items|components|patterns|strategies|tools|people|roles|blocks|kinds|types|dimensions)\b/.test(
    noun,
  )
    ? undefined
    : noun;
}

export const SCALE_RANGE: Record<ScaleId, [number, number]> = {
  "tech-ops-1-5": [1, 5],
  "research-0-4": [0, 4],
  "enterprise-0-4": [0, 4],
  "case-study-0-3": [0, 3],
};

export const SCALE_NAME: Record<ScaleId, string> = {
  "tech-ops-1-5": "Technology & Operations scale (levels 1-5)",
  "research-0-4": "research guide's stages 0-4",
  "enterprise-0-4": "enterprise guide's levels 0-4",
  "case-study-0-3": "case-study guide's levels 0-3",
};

/** Level N of the primary scale on another scale (research stage N-1, enterprise level N-1). */
export function fromPrimary(level: number, scale: ScaleId): number {
  return scale === "tech-ops-1-5" ? level : level - 1;
}

export interface FoundFact {
  fact: Fact;
  page: Page;
  /** The level on the fact's own scale. */
  level: number;
  /** Set when an unqualified level was translated from the primary scale. */
  mappedFrom?: number;
}

/** Every fact of the knowledge base, by scale, level and kind. */
export class FactTable {
  private readonly facts = new Map<string, { fact: Fact; page: Page }[]>();

  constructor(kb: KnowledgeBase) {
    for (const page of kb.pages)
      for (const fact of page.meta.facts)
        for (const level of fact.levels) {
          const key = `${fact.scale}:${level}:${fact.about}`;
          this.facts.set(key, [...(this.facts.get(key) ?? []), { fact, page }]);
        }
  }

  get(scale: ScaleId, level: number, about: FactKind): { fact: Fact; page: Page } | undefined {
    return this.facts.get(`${scale}:${level}:${about}`)?.[0];
  }

  /**
   * The fact for a level: on the scale the question named, or for an unqualified level on the
   * primary scale, else on the first other scale that states it (translated, and said so).
   */
  find(about: FactKind, level: number, scale: ScaleId | undefined): FoundFact | undefined {
    if (scale) {
      const hit = this.get(scale, level, about);
      return hit && { ...hit, level };
    }
    const primary = this.get("tech-ops-1-5", level, about);
    if (primary) return { ...primary, level };
    for (const other of ["research-0-4", "enterprise-0-4"] as const) {
      const mapped = fromPrimary(level, other);
      const hit = this.get(other, mapped, about);
      if (hit) return { ...hit, level: mapped, mappedFrom: level };
    }
    return undefined;
  }
}
