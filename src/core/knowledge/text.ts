/** Tokenising, stemming and synonyms shared by the index and the questions asked of it. */

const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have having how i if in " +
    "into is it its it's just me my of on or our ours out so some such than that the their them then there these they " +
    "this those to too us very was we were what whats what's when where which who whom why will with would you your " +
    "yours about any all also get got tell show give know need needs want please there's whats thing things much many " +
    "should shall may might must let lets let's one ones use used using s t like go goes going gets went through actually really just"
  ).split(/\s+/),
);

const STEM_CACHE = new Map<string, string>();
/** Words whose stem would collide with an unrelated word ("staging" is not "stage"). */
const KEEP = new Set(["staging", "news", "ops", "mlops", "aiops", "devops", "kubernetes", "analysis"]);

/** Groups of words people use for the same idea; a question's word also finds its group's words. */
const SYNONYM_GROUPS: string[][] = [
  ["degrade", "decay", "drift", "stale", "deteriorate", "worse", "accuracy", "degradation"],
  ["notebook", "prototype", "poc", "pilot", "jupyter", "laptop"],
  ["deploy", "release", "ship", "rollout", "launch", "deployment", "production"],
  ["monitor", "observability", "alert", "dashboard", "watch"],
  ["retrain", "retraining", "refresh", "continuous training"],
  ["version", "versioning", "git", "reproducibility", "reproducible"],
  ["registry", "catalog", "catalogue"],
  ["cicd", "pipeline", "automation", "automate", "automated"],
  ["cost", "spend", "investment", "budget", "money", "price", "roi", "invest"],
  ["duration", "long", "months", "time", "take", "timeline"],
  ["test", "testing", "validation", "validate"],
  ["governance", "compliance", "audit", "regulation", "regulatory"],
  ["incident", "outage", "failure", "fail", "break", "broken"],
  ["level", "stage", "maturity"],
  ["share", "percent", "percentage", "distribution", "proportion"],
  ["organization", "company", "enterprise", "org", "firm", "business"],
  ["canary", "gradual", "progressive"],
  ["bias", "fairness"],
  ["explainability", "interpretability", "explain", "shap", "lime"],
  ["roadmap", "plan", "next", "improve"],
  ["skip", "jump", "straight"],
  ["tool", "technology", "stack", "platform", "software"],
  ["hire", "skill", "talent", "people", "staff"],
  ["consultant", "partner", "vendor"],
  ["metric", "kpi", "measure", "measurement", "target"],
  ["feature store", "feature"],
  ["store", "hold", "contain", "capture", "keep"],
  ["dev", "development", "develop"],
  ["redo", "reassess", "repeat", "often", "frequency", "quarterly", "again"],
  ["tldr", "summary", "takeaway", "recap", "overview", "gist", "nutshell"],
  ["aim", "target", "goal", "objective"],
  ["tech", "technology"],
  ["ops", "operations", "operational"],
  ["regulation", "rule", "law", "gdpr", "ccpa", "compliance"],
  ["fast", "faster", "speed", "quick", "reduction", "reduce"],
  ["ab", "split", "experiment"],
  ["choose", "pick", "select", "selection"],
];

const synonymIndex = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  const stems = group.flatMap((w) => tokenize(w));
  for (const stem of stems) {
    const others = stems.filter((s) => s !== stem);
    synonymIndex.set(stem, [...new Set([...(synonymIndex.get(stem) ?? []), ...others])]);
  }
}

export function synonymsOf(stem: string): readonly string[] {
  return synonymIndex.get(stem) ?? [];
}

/** Lowercased, stemmed terms without stop words; keeps numbers and CI/CD-style compounds. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const normalised = text
    .toLowerCase()
    .replace(/ci\s*\/\s*cd/g, "cicd")
    .replace(/a\s*\/\s*b\b/g, "ab")
    .replace(/\btl;?dr\b/g, "tldr")
    .replace(/\bre-(?=[a-z])/g, "re")
    .replace(/[’']/g, "");
  for (const raw of normalised.split(/[^\p{L}\p{N}.%]+/u)) {
    const word = raw.replace(/^[.%]+|[.]+$/g, "");
    if (word.length === 0 || STOPWORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/** Content terms of a question: tokens minus the words that only carry intent. */
export function contentTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}

/** A light suffix stripper: enough to match "deploying", "deployed" and "deployments" to one term. */
export function stem(word: string): string {
  const cached = STEM_CACHE.get(word);
  if (cached !== undefined) return cached;
  let w = word;
  if (/^\d/.test(w) || w.length <= 3 || KEEP.has(w)) {
    STEM_CACHE.set(word, w);
    return w;
  }
  w = w
    .replace(/isation(s?)$/, "ization$1")
    .replace(/ise(s|d)?$/, "ize$1")
    .replace(/ising$/, "izing")
    .replace(/our$/, (m) => (w.length > 6 ? "or" : m));
  const rules: [RegExp, string][] = [
    [/ational$/, "ate"],
    [/ization$/, "ize"],
    [/izations$/, "ize"],
    [/ations$/, "ate"],
    [/ation$/, "ate"],
    [/ments?$/, ""],
    [/ness$/, ""],
    [/ities$/, "ity"],
    [/ies$/, "y"],
    [/sses$/, "ss"],
    [/ing$/, ""],
    [/edly$/, ""],
    [/ed$/, ""],
    [/ly$/, ""],
    [/ers?$/, ""],
    [/(?<![su])s$/, ""],
  ];
  for (const [pattern, replacement] of rules) {
    if (pattern.test(w)) {
      const next = w.replace(pattern, replacement);
      if (next.length >= 3) {
        w = next;
        break;
      }
    }
  }
  // "deploy" and "deployment" meet; "monitoring" and "monitor" meet; doubled endings fold ("planned" -> "plan").
  w = w.replace(/([^aeiouls])\1$/, "$1").replace(/e$/, "");
  STEM_CACHE.set(word, w);
  return w;
}
