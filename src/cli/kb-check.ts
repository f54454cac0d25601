/** `npm run kb:check [folder]`: compiles the knowledge base and lists every problem as file:line: message. */
import path from "node:path";
import { checkFigures } from "../core/knowledge/figures.js";
import { loadKnowledge, REPO_ROOT, readFigureLists } from "../core/knowledge/load.js";
import { formatIssue } from "../core/knowledge/types.js";

const folder = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
const started = performance.now();
const { kb, issues: compileIssues } = await loadKnowledge(folder, folder ? process.cwd() : REPO_ROOT);
const lists = await readFigureLists(folder);
const issues = [...compileIssues, ...(Object.keys(lists).length > 0 ? checkFigures(kb, lists) : [])];
const ms = (performance.now() - started).toFixed(0);
for (const issue of issues) console.error(formatIssue(issue));
if (issues.length > 0) {
  console.error(`kb:check: ${issues.length} problem(s) in ${kb.pages.length} page(s)`);
  process.exit(1);
}
console.log(`kb:check: ${kb.pages.length} pages, ${kb.sections.length} sections, no problems (${ms} ms)`);
