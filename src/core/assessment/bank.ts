import { optionLabel } from "../knowledge/compile.js";
import type { KnowledgeBase, Page } from "../knowledge/types.js";

export interface QuestionOption {
  level: number;
  /** Button text, at most 75 characters. */
  label: string;
  /** The indicators of this level, as markdown. */
  description: string;
}

export interface Question {
  key: string;
  order: number;
  quick: boolean;
  component: string;
  prompt: string;
  title: string;
  file: string;
  options: QuestionOption[];
}

export type Mode = "full" | "quick";

/** The assessment's questions, read from the question pages of the knowledge base. */
export class QuestionBank {
  readonly questions: Question[];
  private readonly byKey: Map<string, Question>;

  constructor(kb: KnowledgeBase) {
    this.questions = kb.pages
      .filter((p) => p.meta.kind === "question" && p.meta.question)
      .map(toQuestion)
      .sort((a, b) => a.order - b.order);
    if (this.questions.length === 0)
      throw new Error("the knowledge base has no question pages (knowledge/questions/)");
    this.byKey = new Map(this.questions.map((q) => [q.key, q]));
  }

  get(key: string): Question | undefined {
    return this.byKey.get(key);
  }

  /** Question keys asked in a mode, in order. */
  keys(mode: Mode): string[] {
    return this.questions.filter((q) => mode === "full" || q.quick).map((q) => q.key);
  }

  componentOf(key: string): string | undefined {
    return this.byKey.get(key)?.component;
  }
}

function toQuestion(page: Page): Question {
  const meta = page.meta.question!;
  const options: QuestionOption[] = [];
  for (let level = 1; level <= 5; level++) {
    const section = page.sections.find((s) => s.heading.toLowerCase() === `level ${level}`);
    if (!section) throw new Error(`${page.file}: no "## Level ${level}" option`);
    const label = optionLabel(section);
    if (!label) throw new Error(`${page.file}:${section.line}: the option has no Label line`);
    const description = section.markdown.split("\n").slice(1).join("\n").trim();
    options.push({ level, label, description });
  }
  return { ...meta, title: page.meta.title, file: page.file, options };
}
