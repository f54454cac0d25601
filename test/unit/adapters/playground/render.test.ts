import { describe, expect, it } from "vitest";
import { escapeHtml, markdownToHtml, renderReply } from "../../../../src/adapters/playground/render.js";
import { mentionToken, type Reply } from "../../../../src/core/reply.js";

/** The HTML the playground page shows for a reply: markdown made safe, user text escaped, names for mentions. */

describe("markdownToHtml", () => {
  it("renders markdown, with a line break for a single newline", () => {
    expect(markdownToHtml("**bold** _it_\nnext")).toBe("<p><strong>bold</strong> <em>it</em><br>next</p>");
  });

  it("keeps http(s) and mailto links, opened in a new tab without the opener", () => {
    expect(markdownToHtml('[docs](https://e.example/a?b=1&c="2")')).toBe(
      '<p><a href="https://e.example/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener noreferrer">docs</a></p>',
    );
    expect(markdownToHtml("[mail](MAILTO:a@e.example)")).toBe(
      '<p><a href="MAILTO:a@e.example" target="_blank" rel="noopener noreferrer">mail</a></p>',
    );
  });

  it("keeps only the label of any other link, and the alt text of an image", () => {
    expect(markdownToHtml("[**run**](javascript:alert(1)) [rel](/x)")).toBe(
      "<p><strong>run</strong> rel</p>",
    );
    expect(markdownToHtml("[x](javascript:alert('https://e.example'))")).toBe("<p>x</p>");
    expect(markdownToHtml("[plain](http://e.example)")).toBe(
      '<p><a href="http://e.example" target="_blank" rel="noopener noreferrer">plain</a></p>',
    );
    expect(markdownToHtml("![a <pixel>](https://evil.example/p.png)")).toBe("<p>a &lt;pixel&gt;</p>");
  });

  it("escapes raw HTML, inline and as a block", () => {
    expect(markdownToHtml("hi <img src=x onerror=alert(1)>")).toBe(
      "<p>hi &lt;img src=x onerror=alert(1)&gt;</p>",
    );
    expect(markdownToHtml("<div onclick='x'>\nhi\n</div>")).toBe(
      "&lt;div onclick=&#39;x&#39;&gt;\nhi\n&lt;/div&gt;",
    );
  });

  it("shows mentions as bold names and drops bidi overrides", () => {
    expect(markdownToHtml(`ask ${mentionToken("U-lead")} or ${mentionToken("U-nobody")}`)).toBe(
      "<p>ask <strong>@Lead</strong> or <strong>@U-nobody</strong></p>",
    );
    expect(markdownToHtml("abc\u202Edef\u2066x")).toBe("<p>abcdefx</p>");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters HTML reads", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
    expect(escapeHtml("plain")).toBe("plain");
  });
});

describe("renderReply", () => {
  const reply: Reply = {
    to: { kind: "dm", user: "U-lead" },
    private: true,
    text: `Hi ${mentionToken("U-engineer")} <b>`,
    progress: { current: 2, total: 8 },
    blocks: [
      { type: "heading", text: "<Team> & co" },
      { type: "markdown", text: "**md**" },
      { type: "context", text: "_ctx_" },
      {
        type: "choices",
        choices: [
          { id: "answer-1", label: "Level 1", value: { action: "answer", level: 1 }, description: "*d*" },
        ],
      },
      { type: "fields", fields: [{ label: "<L>", value: "**v**" }] },
      { type: "table", columns: ["<C>"], rows: [["<r>"]] },
      { type: "actions", buttons: [{ id: "b", label: "<Go>", value: { action: "help" } }] },
      { type: "divider" },
      {
        type: "image",
        data: new Uint8Array([137, 80, 78, 71]),
        mime: "image/png",
        alt: "Levels",
        title: "Q4",
      },
    ],
  };

  it("adds HTML to markdown blocks and escapes every user-visible text", () => {
    expect(renderReply(reply, "dm:U-lead")).toEqual({
      private: true,
      text: "Hi @Engineer <b>",
      progress: { current: 2, total: 8 },
      pane: "dm:U-lead",
      blocks: [
        { type: "heading", text: "<Team> & co", html: "&lt;Team&gt; &amp; co" },
        { type: "markdown", text: "**md**", html: "<p><strong>md</strong></p>" },
        { type: "context", text: "_ctx_", html: "<p><em>ctx</em></p>" },
        {
          type: "choices",
          choices: [
            {
              id: "answer-1",
              label: "Level 1",
              value: { action: "answer", level: 1 },
              description: "<p><em>d</em></p>",
            },
          ],
        },
        { type: "fields", fields: [{ label: "&lt;L&gt;", value: "<p><strong>v</strong></p>" }] },
        { type: "table", columns: ["&lt;C&gt;"], rows: [["&lt;r&gt;"]] },
        { type: "actions", buttons: [{ id: "b", label: "&lt;Go&gt;", value: { action: "help" } }] },
        { type: "divider" },
        { type: "image", src: "data:image/png;base64,iVBORw==", alt: "Levels", title: "Q4" },
      ],
    });
  });

  it("drops the destination", () => {
    expect(renderReply(reply, "x")).not.toHaveProperty("to");
  });
});
