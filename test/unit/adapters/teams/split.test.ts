import { describe, expect, it } from "vitest";
import { splitTeamsMarkdown } from "../../../../src/adapters/teams/render/split.js";

/** Where a long Teams text is cut into TextBlocks: what the user reads in each one. */

describe("splitTeamsMarkdown", () => {
  it("keeps short text whole, trimmed", () => {
    expect(splitTeamsMarkdown("  short \n", 10)).toEqual(["short"]);
    expect(splitTeamsMarkdown("exactly10!", 10)).toEqual(["exactly10!"]);
    expect(splitTeamsMarkdown("   ", 10)).toEqual([]);
  });

  it("cuts at a blank line first, then a line break, then a space", () => {
    expect(splitTeamsMarkdown("aa\n\nbb\ncc dd", 10)).toEqual(["aa", "bb\ncc dd"]);
    expect(splitTeamsMarkdown("aa bb\ncc dd", 8)).toEqual(["aa bb", "cc dd"]);
    expect(splitTeamsMarkdown("aa bb cc dd", 8)).toEqual(["aa bb cc", "dd"]);
  });

  it("never cuts inside a link, code span, bold, italic or struck-through run", () => {
    const first = (text: string, max: number) => splitTeamsMarkdown(text, max)[0];
    expect(first("xx [a b](u) d", 7)).toBe("xx");
    expect(first("xx `a b c` d", 7)).toBe("xx");
    expect(first("c **a b** d", 7)).toBe("c");
    expect(first("c _a b c_ d", 7)).toBe("c");
    expect(first("c ~~a b~~ d", 7)).toBe("c");
    // Underscores inside words are not italic: the space between them is a fine place to cut.
    expect(first("x a_b c_d", 6)).toBe("x a_b");
  });

  it("as a last resort cuts before the run that covers the limit, never in an entity or a surrogate pair", () => {
    expect(splitTeamsMarkdown("xx[aaaa](u)", 6)[0]).toBe("xx");
    expect(splitTeamsMarkdown("aaa&amp;bb", 5)[0]).toBe("aaa");
    expect(splitTeamsMarkdown("aaaa😀bb", 5)).toEqual(["aaaa", "😀bb"]);
    expect(splitTeamsMarkdown("abcdefgh", 3)).toEqual(["abc", "def", "gh"]);
  });
});
