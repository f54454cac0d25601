import { describe, expect, it } from "vitest";
import { chunkMarkdown, truncate } from "../../../../src/core/knowledge/chunk.js";

describe("chunkMarkdown", () => {
  it("gives one empty part for empty text", () => {
    expect(chunkMarkdown("", 10)).toEqual([""]);
  });

  it("gives one empty part for blank blocks that do not fit together", () => {
    expect(chunkMarkdown("  \n\n  ", 5)).toEqual([""]);
  });

  it("trims each part", () => {
    expect(chunkMarkdown(" hello ", 20)).toEqual(["hello"]);
  });

  it("joins blocks while they fit, counting the blank line between them", () => {
    expect(chunkMarkdown("aaaa\n\nbbbb", 10)).toEqual(["aaaa\n\nbbbb"]);
    expect(chunkMarkdown("aaaa\n\nbbbb", 9)).toEqual(["aaaa", "bbbb"]);
    expect(chunkMarkdown("aaaa\n\nbbbb\n\ncc\n\ndd", 9)).toEqual(["aaaa", "bbbb\n\ncc", "dd"]);
  });

  it("keeps a block of exactly max characters whole", () => {
    expect(chunkMarkdown("aaaa\nbbbb", 9)).toEqual(["aaaa\nbbbb"]);
  });

  it("splits a long block at line ends, counting the newline", () => {
    expect(chunkMarkdown("aaaa\nbbbb\nc", 9)).toEqual(["aaaa\nbbbb", "c"]);
    expect(chunkMarkdown("line one\nline two\nline three", 12)).toEqual([
      "line one",
      "line two",
      "line three",
    ]);
  });

  it("splits a long line at spaces, counting the space, and cuts a word longer than max", () => {
    expect(chunkMarkdown("alpha beta gamma delta", 11)).toEqual(["alpha beta", "gamma delta"]);
    expect(chunkMarkdown("alpha sixsix", 11)).toEqual(["alpha", "sixsix"]);
    expect(chunkMarkdown("supercalifragilistic is long", 11)).toEqual(["supercalifr", "is long"]);
  });

  it("splits a long block with long lines into parts no longer than max", () => {
    const text = "intro line\nalpha beta gamma delta epsilon\nend";
    const parts = chunkMarkdown(text, 12);
    expect(parts).toEqual(["intro line", "alpha beta", "gamma delta", "epsilon\nend"]);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(12);
  });
});

describe("truncate", () => {
  it("leaves short text alone", () => {
    expect(truncate("abcde", 5)).toBe("abcde");
  });

  it("cuts to max characters, ellipsis included", () => {
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
  });

  it("cuts at the last space when it is far enough in", () => {
    expect(truncate("abcdefgh  ijk", 11)).toBe("abcdefgh…");
    expect(truncate("ab cdefghijklmnop", 10)).toBe("ab cdefgh…");
    expect(truncate("abcdef ghijklmno", 10)).toBe("abcdef gh…");
    expect(truncate("abcdefg hijklmno", 10)).toBe("abcdefg…");
  });
});
