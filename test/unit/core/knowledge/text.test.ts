import { describe, expect, it } from "vitest";
import { contentTerms, stem, synonymsOf, tokenize } from "../../../../src/core/knowledge/text.js";

describe("tokenize", () => {
  it("joins CI/CD however it is spaced", () => {
    expect(tokenize("CI/CD pipelines")).toEqual(["cicd", "pipelin"]);
    expect(tokenize("ci / cd")).toEqual(["cicd"]);
    expect(tokenize("ci/ cd")).toEqual(["cicd"]);
    expect(tokenize("CI /CD")).toEqual(["cicd"]);
    expect(tokenize("ci-cd")).toEqual(["ci", "cd"]);
  });

  it("joins A/B however it is spaced", () => {
    expect(tokenize("A/B tests")).toEqual(["ab", "test"]);
    expect(tokenize("a / b testing")).toEqual(["ab", "test"]);
    expect(tokenize("a /b")).toEqual(["ab"]);
    expect(tokenize("a/ b")).toEqual(["ab"]);
  });

  it("reads TL;DR and tldr alike", () => {
    expect(tokenize("TL;DR please")).toEqual(["tldr"]);
    expect(tokenize("tldr")).toEqual(["tldr"]);
  });

  it("drops the hyphen of re- before a letter only", () => {
    expect(tokenize("re-train the model")).toEqual(["retrain", "model"]);
    expect(tokenize("re-1")).toEqual(["re", "1"]);
  });

  it("keeps numbers, percentages and decimals; drops stop words and apostrophes", () => {
    expect(tokenize("version 2.0 rollout...")).toEqual(["version", "2.0", "rollout"]);
    expect(tokenize("20% of teams")).toEqual(["20%", "team"]);
    expect(tokenize("%")).toEqual([]);
    expect(tokenize("it's our team's models")).toEqual(["team", "model"]);
    expect(tokenize("drift,stale;decay  new")).toEqual(["drift", "stal", "decay", "new"]);
  });

  it("contentTerms gives each term once", () => {
    expect(contentTerms("deploy deploying models model")).toEqual(["deploy", "model"]);
  });
});

describe("synonymsOf", () => {
  it("gives the other stems of a word's groups, and nothing for unknown words", () => {
    expect(synonymsOf("level")).toEqual(["stag", "maturity"]);
    expect(synonymsOf("tech")).toEqual(["technology"]);
    expect(synonymsOf("zzz")).toEqual([]);
  });
});

describe("stem", () => {
  const cases: [string, string][] = [
    ["organisation", "organiz"],
    ["organisations", "organiz"],
    ["organised", "organiz"],
    ["organising", "organiz"],
    ["advertisings", "advertising"],
    ["behaviour", "behavior"],
    ["flavour", "flavor"],
    ["colour", "colour"],
    ["detour", "detour"],
    ["tourism", "tourism"],
    ["relational", "relat"],
    ["relationally", "relational"],
    ["organization", "organiz"],
    ["organizations", "organiz"],
    ["organizationsed", "organizations"],
    ["modernizations", "moderniz"],
    ["validations", "validat"],
    ["validation", "validat"],
    ["relationships", "relationship"],
    ["nationwide", "nationwid"],
    ["deployments", "deploy"],
    ["deployment", "deploy"],
    ["commentary", "commentary"],
    ["happiness", "happi"],
    ["hardness", "hard"],
    ["harnessed", "harness"],
    ["activities", "activity"],
    ["priorities2", "priorities2"],
    ["stories", "story"],
    ["diesel", "diesel"],
    ["classes", "class"],
    ["addresses", "address"],
    ["testing", "test"],
    ["kingdom", "kingdom"],
    ["reportedly", "report"],
    ["reportedlyx", "reportedlyx"],
    ["deployed", "deploy"],
    ["credit", "credit"],
    ["quickly", "quick"],
    ["lyrics", "lyric"],
    ["monitors", "monitor"],
    ["planned", "plan"],
    ["running", "run"],
    ["coffee", "coffe"],
    ["staging", "staging"],
    ["analysis", "analysis"],
    ["focus", "focus"],
    ["stress", "stress"],
    ["used", "used"],
  ];
  for (const [word, expected] of cases) {
    it(`${word} -> ${expected}`, () => {
      expect(stem(word)).toBe(expected);
    });
  }
});
