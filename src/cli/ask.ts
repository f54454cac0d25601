/** `npm run --silent ask -- [--json] [--level N] "<question>"`: one answer from the knowledge base. */
import { parseArgs } from "node:util";
import { AnswerEngine } from "../core/knowledge/answer.js";
import { loadKnowledge } from "../core/knowledge/load.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean", default: false }, level: { type: "string" } },
});
const question = positionals.join(" ").trim();
if (!question) {
  console.error('usage: npm run --silent ask -- [--json] [--level N] "<question>"');
  process.exit(2);
}
const teamLevel = values.level === undefined ? undefined : Number(values.level);
if (teamLevel !== undefined && !(Number.isInteger(teamLevel) && teamLevel >= 1 && teamLevel <= 5)) {
  console.error("--level takes a whole number from 1 to 5");
  process.exit(2);
}
const { kb, issues } = await loadKnowledge();
if (issues.length > 0) {
  console.error(`the knowledge base has ${issues.length} problem(s): run npm run kb:check`);
  process.exit(1);
}
const result = new AnswerEngine(kb).answer(question, { teamLevel });
if (values.json) {
  const { answer, sources, intent, confidence, followUps } = result;
  process.stdout.write(`${JSON.stringify({ answer, sources, intent, confidence, followUps })}\n`);
} else {
  process.stdout.write(`${result.answer}\n`);
  if (result.sources.length > 0) {
    process.stdout.write(
      `\nSources:\n${result.sources.map((s) => `  ${s.file} (${s.heading})`).join("\n")}\n`,
    );
  }
  if (result.followUps.length > 0) {
    process.stdout.write(
      `\nYou could also ask:\n${result.followUps.map((f) => `  ${f.question}`).join("\n")}\n`,
    );
  }
}
