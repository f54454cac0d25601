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

  it("keeps text of exactly the limit whole, and cuts only where it says", () => {
    expect(splitTeamsMarkdown("aaaa bbbbb", 10)).toEqual(["aaaa bbbbb"]);
    // Trailing spaces before the cut go; a piece cut without a separator loses no inner space.
    expect(splitTeamsMarkdown("aa  \n\nbb", 6)).toEqual(["aa", "bb"]);
    expect(splitTeamsMarkdown("xx[aaaa](u) b", 6)).toEqual(["xx", "[aaaa]", "(u) b"]);
    // The space right after a run is outside it; a blank line before a run wins over the limit.
    expect(splitTeamsMarkdown("c **a b** d", 9)).toEqual(["c **a b**", "d"]);
    expect(splitTeamsMarkdown("aa\n\nbb **c** dd", 12)).toEqual(["aa", "bb **c** dd"]);
  });

  it("as a last resort moves the cut only for a run that covers it and does not start the text", () => {
    expect(splitTeamsMarkdown("x[ab](u)yz", 8)).toEqual(["x[ab](u)", "yz"]);
    expect(splitTeamsMarkdown("[aaaa](u)bb", 5)).toEqual(["[aaaa", "](u)b", "b"]);
    expect(splitTeamsMarkdown("ab**c**defghij", 10)).toEqual(["ab**c**def", "ghij"]);
  });
});
