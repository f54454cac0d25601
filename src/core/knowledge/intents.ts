/** Reading what a question asks for, before any searching. */

export type Scale = "tech-ops-1-5" | "research-0-4" | "enterprise-0-4" | "case-study-0-3";

export type Intent =
  | { kind: "more"; pageId: string; anchor: string; part: number }
  | { kind: "roadmap"; from?: number; wantsDuration: boolean; wantsChecklist: boolean; relative: boolean }
  | { kind: "level-definition"; level: number; scale?: Scale }
  | { kind: "level-match"; scale?: Scale }
  | { kind: "alignment" }
  | { kind: "search" };

const WORD_NUMBERS: Record<string, string> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  zero: "0",
};
const LEVEL = String.raw`(?:level|lvl|l|stage|tier)?\s*#?\s*`;

export function normaliseQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[–—]/g, "-")
    .replace(/→|=>|->/g, " to ")
    .replace(/\b(zero|one|two|three|four|five)\b/g, (w) => WORD_NUMBERS[w] ?? w)
    .replace(/\s+/g, " ")
    .trim();
}

export function detectScale(q: string): Scale | undefined {
  if (/\bstages?\b|\bresearch\b/.test(q)) return "research-0-4";
  if (/\benterprise\b|\bmatrix\b/.test(q)) return "enterprise-0-4";
  if (/\bcase stud|\babc\b|0-3 (?:scale|model)|four[- ]level/.test(q)) return "case-study-0-3";
  if (/\btech(?:nology)?(?: &| and)? op|\b1-5\b|primary scale/.test(q)) return "tech-ops-1-5";
  return undefined;
}

const DURATION_WORDS =
  /how long|how many months|how much time|how quickly|how fast|duration|timeline|take to|takes|timeframe|time frame|until/;
const PROGRESS_WORDS =
  /level|lvl|\bl\d|from|get|go|move|moving|step|roadmap|take|long|reach|jump|between|climb|upgrade|progress|advance|hit|until/;
const ALIGN_WORDS =
  /correspond|equivalent|same as|maps? (?:on)?to|line up|lines up|compare|comparison|translate|on the (?:1-5|0-4|0-3)|in (?:tech(?:nology)?(?: &| and)? ?op|the 1-5)/;

export function detectIntent(raw: string): Intent {
  const q = normaliseQuestion(raw);
  const more = /^more ([a-z0-9-]+)#([\p{L}\p{N}-]*) (\d{1,3})$/u.exec(q);
  if (more) return { kind: "more", pageId: more[1]!, anchor: more[2]!, part: Number(more[3]) };

  const scale = detectScale(q);
  const wantsDuration = DURATION_WORDS.test(q);
  const wantsChecklist =
    /checklist|first (?:couple|few|two|2|three|3)?(?: of)? ?months?|month \d|tasks|to-?do|items|concretely/.test(
      q,
    );
  const isStage = scale === "research-0-4" || scale === "enterprise-0-4" || scale === "case-study-0-3";
  if (ALIGN_WORDS.test(q)) return { kind: "alignment" };

  // Two levels named: "level 2 to 3", "from 1 to 2", "l3 -> l4", "at level 1 ... until we hit level 2".
  const pair = new RegExp(String.raw`${LEVEL}([1-5])\s*(to|-|and|into|up to)\s*${LEVEL}([1-5])\b`).exec(q);
  const named = [...q.matchAll(/\b(?:level|lvl|l)\s*([1-5])\b/g)].map((m) => Number(m[1]));
  if (!isStage && PROGRESS_WORDS.test(q)) {
    if (pair) {
      const from = Number(pair[1]);
      const to = Number(pair[3]);
      if (to === from + 1 || (pair[2] !== "-" && to > from))
        return { kind: "roadmap", from, wantsDuration, wantsChecklist, relative: false };
    }
    const [first, second] = named;
    if (first !== undefined && second !== undefined && first !== second && named.length === 2) {
      return {
        kind: "roadmap",
        from: Math.min(first, second),
        wantsDuration,
        wantsChecklist,
        relative: false,
      };
    }
  }
  const reach =
    /(?:get|go|move|reach|climb|advance|progress|jump|upgrade|hit)(?: up)? to (?:level|lvl|l) ?([2-5])\b/.exec(
      q,
    );
  if (reach && !isStage && !/skip|straight|directly/.test(q)) {
    return { kind: "roadmap", from: Number(reach[1]) - 1, wantsDuration, wantsChecklist, relative: false };
  }

  const nextWords =
    /\bnext\b|roadmap|checklist|move up|level up|get out of|improve|work on|focus on|prioriti[sz]e/;
  const atLevel = /(?:level|lvl|from|at|we're|we are) ?([1-5])\b/.exec(q);
  if (atLevel && !isStage && nextWords.test(q) && named.length <= 1) {
    return { kind: "roadmap", from: Number(atLevel[1]), wantsDuration, wantsChecklist, relative: false };
  }
  if (
    !isStage &&
    /\b(?:next steps?|what(?:'s| is)? next|what (?:should|do|can) (?:we|i) do next|what to do next|where do we go from here|how (?:do|can) we (?:improve|move up|level up|get better)|our roadmap|(?:we|i) (?:should|need to) (?:do|work on|focus on) next)\b/.test(
      q,
    )
  ) {
    return { kind: "roadmap", wantsDuration, wantsChecklist, relative: true };
  }

  if (
    /\b(?:which|what) (?:level|stage|maturity)(?: level)? (?:are|is|would|am|does|do|fits|matches)|(?:where do|where does) (?:we|our team|my team) (?:stand|sit|fit)|are we (?:at )?(?:level|lvl) ?\d|what level (?:is|are) (?:that|this|we|a team|teams)|how mature are we|(?:is|are) (?:that|this|we) level ?\d/.test(
      q,
    )
  ) {
    // "... is that level 0?" names the level: describe it, on the scale the words fit.
    const asked = /(?:is (?:that|this|it)|are we|we're|we are)(?: at)? (?:level|lvl|stage) ?([0-5])\b/.exec(
      q,
    );
    if (asked)
      return {
        kind: "level-definition",
        level: Number(asked[1]),
        scale: scale ?? (asked[1] === "0" ? undefined : scale),
      };
    return { kind: "level-match", scale };
  }

  const def = /\b(level|lvl|stage|tier)\s*#?\s*([0-5])\b/.exec(q);
  if (
    def &&
    !pair &&
    !wantsDuration &&
    /\bwhat|mean|describe|explain|defin|look like|characteri|tell me about|^\s*(?:the )?(?:level|stage|lvl) ?\d\b(?: (?:in|of|on|for) (?:the )?[a-z &]+)?\s*\??$/.test(
      q,
    )
  ) {
    const level = Number(def[2]);
    return { kind: "level-definition", level, scale: def[1] === "stage" ? "research-0-4" : scale };
  }
  return { kind: "search" };
}
