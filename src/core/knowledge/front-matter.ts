import { isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { SCALE_RANGE } from "./facts.js";
import { GUIDES } from "./sources.js";
import type { CompileIssue, PageMeta, ScaleId } from "./types.js";

const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, -)");
const primaryLevel = z.number().int().min(1).max(5);
const source = z.string().refine((s) => s in GUIDES, {
  message: `must be one of the guide file names: ${Object.keys(GUIDES).join(", ")}`,
});

export const FACT_KINDS = [
  "models",
  "incident-rate",
  "deployment-time",
  "duration",
  "market-share",
  "success-rate",
  "cost",
  "exit-score",
  "tools",
] as const;
export const SCALES = ["tech-ops-1-5", "research-0-4", "enterprise-0-4", "case-study-0-3"] as const;

/** A figure the guide states for a level of one of its scales, with our sentence that carries it. */
const fact = z
  .strictObject({
    about: z.enum(FACT_KINDS),
    scale: z.enum(SCALES).optional(),
    level: z.union([z.number().int().min(0).max(5), z.array(z.number().int().min(0).max(5)).min(1)]),
    value: z.string().trim().min(1).max(200),
    says: z.string().trim().min(10).max(400),
  })
  .refine((f) => f.says.includes(f.value), { message: "says must contain the value word for word" });

const base = {
  id: kebab,
  title: z.string().trim().min(3).max(120),
  source,
  levels: z.array(primaryLevel).max(5),
  aliases: z.array(z.string().trim().min(2).max(60)).max(20).default([]),
  facts: z.array(fact).max(20).default([]),
};

const questionBlock = z.strictObject({
  key: kebab,
  order: z.number().int().min(1).max(50),
  quick: z.boolean(),
  component: kebab,
  prompt: z.string().trim().min(5).max(150),
});

export const frontMatterSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      ...base,
      kind: z.literal("level"),
      scale: z.enum(SCALES),
      level: z.number().int().min(0).max(5),
      name: z.string().trim().min(2).max(80),
    }),
    z.strictObject({
      ...base,
      kind: z.literal("roadmap"),
      from: primaryLevel,
      to: primaryLevel,
      duration: z.string().trim().regex(/\d/, "must give a duration such as 6-12 months"),
      exit_score: z.number().min(1).max(5).optional(),
    }),
    z.strictObject({ ...base, kind: z.literal("component"), component: kebab }),
    z.strictObject({ ...base, kind: z.literal("challenge") }),
    z.strictObject({ ...base, kind: z.literal("question"), question: questionBlock }),
    z.strictObject({ ...base, kind: z.literal("topic") }),
  ])
  .superRefine((fm, ctx) => {
    // A fact's level must exist on its scale: stage 5 of the research guide, or level 0 of the primary scale, is a typo.
    for (const [i, f] of fm.facts.entries()) {
      const scale = factScale(fm, f.scale);
      const [lo, hi] = SCALE_RANGE[scale];
      const levels = [f.level].flat();
      for (const [j, level] of levels.entries())
        if (level < lo || level > hi)
          ctx.addIssue({
            code: "custom",
            path: Array.isArray(f.level) ? ["facts", i, "level", j] : ["facts", i, "level"],
            message: `level ${level} is not on the ${scale} scale (${lo}-${hi})`,
          });
    }
  });

/** A fact's scale: its own, else its level page's, else the primary one. */
function factScale(fm: { kind: string; scale?: ScaleId }, own: ScaleId | undefined): ScaleId {
  return own ?? (fm.kind === "level" && fm.scale ? fm.scale : "tech-ops-1-5");
}

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface ParsedFrontMatter {
  meta?: PageMeta;
  /** Line (1-based) where the body starts. */
  bodyLine: number;
  body: string;
  issues: CompileIssue[];
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits `---` front matter from the body, parses its YAML safely and validates it. */
export function parseFrontMatter(file: string, content: string): ParsedFrontMatter {
  const match = FENCE.exec(content);
  if (!match) {
    return {
      bodyLine: 1,
      body: content,
      issues: [{ file, line: 1, message: "missing front matter: the page must start with a --- block" }],
    };
  }
  const yamlText = match[1] ?? "";
  const bodyLine = countLines(match[0]) + 1;
  const body = content.slice(match[0].length);
  const lineCounter = new LineCounter();
  // The core schema knows no custom tags, and alias expansion is capped against YAML bombs.
  const doc = parseDocument(yamlText, { lineCounter, schema: "core", uniqueKeys: true, prettyErrors: false });
  const yamlLine = (offset: number) => lineCounter.linePos(offset).line + 1; // +1 for the opening ---
  // Warnings too: an unknown tag such as `!!js/function` would otherwise pass as a plain string.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      bodyLine,
      body,
      issues: problems.map((e) => ({
        file,
        line: yamlLine(e.pos[0]),
        message: `bad front matter: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { bodyLine, body, issues: [{ file, line: 2, message: `bad front matter: ${String(error)}` }] };
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    return {
      bodyLine,
      body,
      issues: parsed.error.issues.map((issue) => {
        const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
        let node = path.length > 0 ? doc.getIn(path, true) : undefined;
        if (issue.code === "unrecognized_keys") {
          // Point at the unknown key itself rather than at the top of the block.
          const parent = path.length > 0 ? node : doc.contents;
          const pair = isMap(parent)
            ? parent.items.find((p) => isScalar(p.key) && p.key.value === issue.keys[0])
            : undefined;
          node = pair?.key ?? node;
        }
        const line = isNode(node) && node.range ? yamlLine(node.range[0]) : 2;
        const where = path.length > 0 ? `${path.join(".")}: ` : "";
        return { file, line, message: `bad front matter: ${where}${issue.message}` };
      }),
    };
  }
  return { meta: toMeta(parsed.data), bodyLine, body, issues: [] };
}

function toMeta(fm: FrontMatter): PageMeta {
  const meta: PageMeta = {
    id: fm.id,
    title: fm.title,
    kind: fm.kind,
    source: fm.source,
    levels: fm.levels,
    aliases: fm.aliases,
    facts: fm.facts.map((f) => ({
      about: f.about,
      scale: factScale(fm, f.scale),
      levels: [f.level].flat(),
      value: f.value,
      says: f.says,
    })),
  };
  switch (fm.kind) {
    case "level":
      return { ...meta, scale: fm.scale, level: fm.level, name: fm.name };
    case "roadmap":
      return { ...meta, from: fm.from, to: fm.to, duration: fm.duration, exitScore: fm.exit_score };
    case "component":
      return { ...meta, component: fm.component };
    case "question":
      return { ...meta, question: fm.question };
    default:
      return meta;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === "\n") n++;
  return n;
}
