export { type Answer, type AnswerContext, AnswerEngine, type FollowUp } from "./answer.js";
export { compileKnowledge, optionLabel } from "./compile.js";
export { guideName } from "./sources.js";
export type { CompileIssue, KnowledgeBase, Page, Section } from "./types.js";
export { formatIssue } from "./types.js";
