import { factKindAsked, fromPrimary, SCALE_NAME } from "./facts.js";
import { detectScale, normaliseQuestion } from "./intents.js";

const RELATIVE = /\b(?:our|us|we|we're|my team|ours)\b/;
const EXPLICIT_LEVEL = /\b(?:level|lvl|stage|tier|l)\s*#?\s*\d\b/;

/**
 * "What should we do first?", "our level", "the next level", "tools for us": the team's level made
 * explicit, with a note saying which level was assumed.
 */
export function teamQuestion(
  question: string,
  teamLevel: number | undefined,
): { question: string; note: string; roadmapFrom?: number } {
  const q = normaliseQuestion(question);
  if (teamLevel === undefined || !RELATIVE.test(q) || EXPLICIT_LEVEL.test(q)) return { question, note: "" };
  const note = `_Assuming your team's level: level ${teamLevel} of the Technology & Operations scale._\n\n`;
  const next = /\bnext (?:level|step)|\bmove on\b|\blevel up\b|\bmove up\b/.test(q);
  const describe =
    !/how long|how much time|\btake\b|\bwhen\b|score|models|checklist/.test(q) &&
    /look like|describe|what(?:'s| is) (?:our|the) next level\b|next level(?: up)?(?: for us)?\??$|\bmean\b/.test(
      q,
    );
  if (next && describe && teamLevel < 5)
    return { question: `what does level ${teamLevel + 1} look like`, note };
  const scale = detectScale(q);
  if (scale && scale !== "tech-ops-1-5") {
    const other = fromPrimary(teamLevel, scale);
    const word = scale === "research-0-4" ? "stage" : "level";
    return {
      question: `what is ${word} ${other} of the ${scale.split("-")[0]} scale`,
      note: `_Assuming your team's level: level ${teamLevel} of the Technology & Operations scale, roughly ${word} ${other} on the ${SCALE_NAME[scale]}._\n\n`,
    };
  }
  if (
    next ||
    /\bwhat (?:should|do|can) we do\b|\bwhat to do\b|where (?:do|should) we start|how (?:do|should|can) we start|\bfocus on\b|\bchecklist\b|\broadmap\b|\bprioriti/.test(
      q,
    )
  )
    return {
      question: `${question} (level ${teamLevel} to level ${teamLevel + 1})`,
      note,
      roadmapFrom: teamLevel,
    };
  const rewritten = q
    .replace(/\b(?:at |for |on )?(?:our|my team's|the team's) (?:current )?level\b/, ` at level ${teamLevel}`)
    .replace(/\bfor us\b/, `at level ${teamLevel}`);
  if (!EXPLICIT_LEVEL.test(rewritten) && !factKindAsked(rewritten) && !/\blevel\b/.test(q))
    return { question, note: "" };
  return {
    question: EXPLICIT_LEVEL.test(rewritten) ? rewritten : `${rewritten} at level ${teamLevel}`,
    note,
  };
}
