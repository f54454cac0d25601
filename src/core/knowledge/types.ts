/** The compiled knowledge base: pages split into sections, ready to search and quote. */

export type PageKind = "level" | "roadmap" | "component" | "challenge" | "question" | "topic";

export interface QuestionMeta {
  key: string;
  order: number;
  quick: boolean;
  component: string;
  prompt: string;
}

export type FactKind =
  | "models"
  | "incident-rate"
  | "deployment-time"
  | "duration"
  | "market-share"
  | "success-rate"
  | "cost"
  | "exit-score"
  | "tools";

export type ScaleId = "tech-ops-1-5" | "research-0-4" | "enterprise-0-4" | "case-study-0-3";

/** A figure a guide states for one or more levels of a scale, with the sentence the bot answers with. */
export interface Fact {
  about: FactKind;
  scale: ScaleId;
  levels: number[];
  value: string;
  says: string;
}

export interface PageMeta {
  id: string;
  title: string;
  kind: PageKind;
  source: string;
  levels: number[];
  aliases: string[];
  facts: Fact[];
  scale?: string;
  level?: number;
  name?: string;
  from?: number;
  to?: number;
  duration?: string;
  exitScore?: number;
  component?: string;
  question?: QuestionMeta;
}

export interface Section {
  /** Index of this section in KnowledgeBase.sections. */
  index: number;
  page: Page;
  heading: string;
  /** Headings from the page title down to this one. */
  path: string[];
  depth: number;
  /** 1-based line of the heading in the source file. */
  line: number;
  /** This heading's own content, without sub-sections. */
  markdown: string;
  text: string;
  /** Own content followed by every sub-section (for h2 sections with h3 children). */
  fullMarkdown: string;
}

export interface Page {
  meta: PageMeta;
  /** Path relative to the repository root, e.g. knowledge/tech-ops/roadmap-1-to-2.md */
  file: string;
  /** The page's lead text (before its first ## heading). */
  intro: string;
  sections: Section[];
}

export interface KnowledgeBase {
  pages: Page[];
  sections: Section[];
  byId: Map<string, Page>;
}

export interface SourceFile {
  /** Repository-relative path, e.g. knowledge/tech-ops/level-1.md */
  file: string;
  content: string;
}

export interface CompileIssue {
  file: string;
  line: number;
  message: string;
}

export function formatIssue(issue: CompileIssue): string {
  return `${issue.file}:${issue.line}: ${issue.message}`;
}
