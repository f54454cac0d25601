/**
 * Block Kit limits, checked independently of the renderer: a payload over any of them is one Slack
 * would reject (invalid_blocks) or show broken. Returns every problem found, as readable strings.
 */
export const BLOCK_KIT = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  /** A message's top-level `text`: Slack's documented limit (chat.postMessage truncates or refuses past it). */
  messageText: 40_000,
};

// biome-ignore lint/suspicious/noExplicitAny: payloads are checked structurally
type Json = any;

export function blockKitProblems(blocks: Json, surface: "message" | "view" = "message"): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks is not an array"];
  const max = surface === "message" ? BLOCK_KIT.messageBlocks : BLOCK_KIT.viewBlocks;
  if (blocks.length > max) problems.push(`${blocks.length} blocks (max ${max} in a ${surface})`);
  const ids = new Set<string>();
  const button = (b: Json, where: string): void => {
    if (b?.type !== "button") {
      problems.push(`${where}: not a button`);
      return;
    }
    if (b.text?.type !== "plain_text") problems.push(`${where}: button text is not plain_text`);
    const t = String(b.text?.text ?? "");
    if (t.length < 1 || t.length > BLOCK_KIT.buttonText)
      problems.push(`${where}: button text ${t.length} chars`);
    const id = String(b.action_id ?? "");
    if (id.length < 1 || id.length > BLOCK_KIT.actionId)
      problems.push(`${where}: action_id ${id.length} chars`);
    if (ids.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
    ids.add(id);
    if (b.value !== undefined && String(b.value).length > BLOCK_KIT.buttonValue)
      problems.push(`${where}: value ${String(b.value).length} chars`);
    if (b.style !== undefined && b.style !== "primary" && b.style !== "danger")
      problems.push(`${where}: style ${b.style}`);
    if (id.startsWith("answer")) {
      try {
        const v = JSON.parse(b.value);
        if (typeof v?.level !== "number") problems.push(`${where}: answer button without a level`);
      } catch {
        problems.push(`${where}: answer button value is not JSON`);
      }
    }
  };
  const text = (t: Json, where: string, limit: number): void => {
    if (!t || (t.type !== "mrkdwn" && t.type !== "plain_text")) {
      problems.push(`${where}: not a text object`);
      return;
    }
    const s = String(t.text ?? "");
    if (s.length < 1 || s.length > limit) problems.push(`${where}: text ${s.length} chars (1..${limit})`);
    if (/<!(?:here|channel|everyone)/i.test(s)) problems.push(`${where}: broadcast mention`);
    if (/(^|[^@\u200D])@(?:here|channel|everyone)\b/i.test(s)) problems.push(`${where}: bare broadcast word`);
    if (/[\uE000\uE001]/.test(s)) problems.push(`${where}: unconverted mention token`);
  };
  for (const [i, block] of (blocks as Json[]).entries()) {
    const where = `block ${i} (${block?.type})`;
    switch (block?.type) {
      case "header":
        if (block.text?.type !== "plain_text") problems.push(`${where}: header text is not plain_text`);
        text(block.text, where, BLOCK_KIT.headerText);
        break;
      case "section":
        if (!block.text && !block.fields) problems.push(`${where}: neither text nor fields`);
        if (block.text) text(block.text, where, BLOCK_KIT.sectionText);
        if (block.fields) {
          if (
            !Array.isArray(block.fields) ||
            block.fields.length < 1 ||
            block.fields.length > BLOCK_KIT.fields
          ) {
            problems.push(`${where}: ${block.fields?.length} fields`);
          }
          for (const [j, f] of (block.fields ?? []).entries())
            text(f, `${where} field ${j}`, BLOCK_KIT.fieldText);
        }
        if (block.accessory) button(block.accessory, `${where} accessory`);
        break;
      case "context":
        if (
          !Array.isArray(block.elements) ||
          block.elements.length < 1 ||
          block.elements.length > BLOCK_KIT.contextElements
        ) {
          problems.push(`${where}: ${block.elements?.length} elements`);
        }
        for (const [j, e] of (block.elements ?? []).entries())
          text(e, `${where} element ${j}`, BLOCK_KIT.contextText);
        break;
      case "actions":
        if (
          !Array.isArray(block.elements) ||
          block.elements.length < 1 ||
          block.elements.length > BLOCK_KIT.actionsElements
        ) {
          problems.push(`${where}: ${block.elements?.length} elements`);
        }
        for (const [j, e] of (block.elements ?? []).entries()) button(e, `${where} element ${j}`);
        break;
      case "divider":
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  }
  return problems;
}

/** Problems of a whole message payload: its blocks, and a non-empty fallback text within Slack's limit. */
export function messageProblems(payload: Json): string[] {
  const problems = blockKitProblems(payload?.blocks ?? [], "message");
  if (typeof payload?.text !== "string" || payload.text.trim() === "") problems.push("no fallback text");
  else {
    if (/[\uE000\uE001]/.test(payload.text)) problems.push("text: unconverted mention token");
    if (payload.text.length > BLOCK_KIT.messageText)
      problems.push(`text: ${payload.text.length} chars (max ${BLOCK_KIT.messageText})`);
  }
  return problems;
}

/** Every button in a list of blocks (section accessories and actions elements). */
export function buttonsOf(blocks: Json[]): Json[] {
  return (blocks ?? []).flatMap((b: Json) =>
    b.type === "actions" ? b.elements : b.type === "section" && b.accessory ? [b.accessory] : [],
  );
}
