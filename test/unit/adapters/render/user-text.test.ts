import { describe, expect, it } from "vitest";
import { markdownToHtml } from "../../../../src/adapters/playground/render.js";
import { toMrkdwn } from "../../../../src/adapters/slack/render/mrkdwn.js";
import { toTeamsMarkdown } from "../../../../src/adapters/teams/render/markdown.js";
import { quoted } from "../../../../src/core/reply.js";
import { HOSTILE, storedEchoes } from "../../../support/reply-fixture.js";

/** Hostile user text echoed back by the bot, through every renderer: it must show as typed and do nothing. */

/** What a link, image, ping or hidden character looks like in each renderer's output. */
const DANGER = {
  slack: [/<https?:/, /<!(channel|here|everyone)>/, /@(channel|here|everyone)/, /\u202E/, /^\*|\s\*\w/],
  teams: [/\]\(https?:/, /<at>/i, /\u202E/, /(^|\s)\*\*\w/],
  playground: [/<a\s/, /<img/, /\u202E/, /<strong>/, /<em>/],
};

/**
 * Each renderer, and what of its output a client interprets: Slack reads <...> even inside code spans,
 * so all of it; Teams shows a code span as typed, so what is outside them.
 */
const renderers = {
  slack: toMrkdwn,
  teams: (markdown: string) => toTeamsMarkdown(markdown).replace(/`[^`]*`/g, "`…`"),
  playground: markdownToHtml,
} as const;

describe("user text echoed by the bot", () => {
  it("the knowledge base's 'I don't know about ...' echo renders with no link, ping or markup anywhere", () => {
    // The echoes as the knowledge base wrote them (test/fixtures/replies/echoes.json, kept equal to the
    // live answers by test/unit/fixtures/replies.test.ts).
    const echoes = storedEchoes();
    expect(echoes.map((e) => e.text)).toEqual(HOSTILE);
    for (const { text, line } of echoes) {
      expect(line).toMatch(/I don't know about `/);
      for (const [platform, render] of Object.entries(renderers)) {
        const firstLine = render(line);
        for (const danger of DANGER[platform as keyof typeof DANGER]) {
          expect(firstLine, `${platform}: ${text}`).not.toMatch(danger);
        }
      }
    }
  });

  it("quoted() text renders as typed, without hidden characters", () => {
    for (const text of HOSTILE) {
      for (const [platform, render] of Object.entries(renderers)) {
        const markdown = quoted(text);
        const out = render(markdown);
        expect(out, `${platform}: ${markdown}`).not.toMatch(/\u202E/);
        for (const danger of DANGER[platform as keyof typeof DANGER])
          expect(out, `${platform}: ${markdown}`).not.toMatch(danger);
      }
    }
  });

  it("every renderer drops bidi overrides even from text it did not get escaped", () => {
    for (const render of Object.values(renderers))
      expect(render("abc\u202Edef\u2066x")).not.toMatch(/[\u202E\u2066]/);
  });
});
