/** Developer aid: runs the question sets through the engine and lists the misses. */
import { readdirSync, readFileSync } from "node:fs";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { loadKnowledge } from "../src/core/knowledge/load.js";

const fold = (t: string) =>
  t
    .toLowerCase()
    .replace(/[‐-―−]/g, "-")
    .replace(/\s+/g, " ");
const { kb } = await loadKnowledge();
const engine = new AnswerEngine(kb);
const dir = new URL("../test/fixtures/questions/", import.meta.url);
let total = 0;
let misses = 0;
for (const set of readdirSync(dir)) {
  for (const c of JSON.parse(readFileSync(new URL(set, dir), "utf8")) as {
    question: string;
    mustInclude: string[];
    source: string | string[];
  }[]) {
    total++;
    const r = engine.answer(c.question);
    const missing = c.mustInclude.filter((f) => !fold(r.answer).includes(fold(f)));
    const wrongSource = ![c.source].flat().some((want) => r.sources.some((s) => s.file === want));
    if (missing.length || wrongSource || r.intent === "unknown") {
      misses++;
      console.log(
        `✗ ${c.question}\n   want ${c.source} got ${r.intent} ${r.sources.map((s) => `${s.file}#${s.heading}`).join(",")} conf ${r.confidence}${missing.length ? `\n   missing ${JSON.stringify(missing)}` : ""}`,
      );
    }
  }
}
console.log(`${total - misses}/${total} answered as expected`);
