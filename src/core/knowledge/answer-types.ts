/** What the answer engine gives back, and what it is told about the asker. */

export interface AnswerSource {
  file: string;
  heading: string;
}

export interface FollowUp {
  label: string;
  question: string;
  /** For "More": the part of the answer to the same question that the button asks for. */
  part?: number;
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
  /** The team's weakest capability components (ids such as model-lifecycle), weakest first. */
  weakest?: string[];
  /** Which chat-sized part of the answer to give: 1 (default) or a later part asked for with "More". */
  part?: number;
}
