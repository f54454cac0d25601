import { createRequire } from "node:module";

/**
 * Checks a card the way a Teams client reads it: the Adaptive Cards library parses it as schema 1.5
 * (its package's own parser, the bundled build), which must report nothing; and what it reads back must
 * equal what was sent, so a property it does not know, or a value of the wrong kind, cannot hide (the
 * parser drops those silently). Teams' own `msteams` extension is set aside first.
 */
const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the bundled build has no typings of its own
const AC: any = require("adaptivecards/dist/adaptivecards.js");

export const CARD_LIMIT_BYTES = 28 * 1024;

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!card || typeof card !== "object") return ["not an object"];
  const { msteams, ...rest } = card as Record<string, unknown>;
  if ((rest as { version?: unknown }).version !== "1.5") problems.push("version is not 1.5");
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > CARD_LIMIT_BYTES) problems.push(`${size} bytes, over ${CARD_LIMIT_BYTES}`);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(rest, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents ?? []) {
    problems.push(`validate: ${event.message}`);
  }
  const back = parsed.toJSON(context);
  const diff = difference(normalise(rest), normalise(back), "card");
  if (diff) problems.push(`not read back as sent: ${diff}`);
  if (msteams !== undefined) {
    const m = msteams as { width?: unknown; entities?: { type?: unknown; text?: unknown }[] };
    if (m.width !== undefined && m.width !== "Full") problems.push("msteams.width is not Full");
    for (const e of m.entities ?? []) {
      if (e.type !== "mention" || typeof e.text !== "string" || !JSON.stringify(rest).includes(e.text)) {
        problems.push(`mention entity not in the card: ${JSON.stringify(e)}`);
      }
    }
  }
  return problems;
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "$schema" && v !== undefined) out[k] = normalise(v);
    return out;
  }
  return value;
}

function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: array vs not`;
    if (a.length !== b.length) return `${path}: ${a.length} items read back as ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && typeof a === "object" && b && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const d = difference(ao[k], bo[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} read back as ${JSON.stringify(b)}`;
}
