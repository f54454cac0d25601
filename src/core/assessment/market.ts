/**
 * Estimated market position from the research guide's distribution of organisations across its
 * stages 0-4 (knowledge/research/market-distribution.md). Primary level N lines up with stage N-1.
 */
export const STAGE_SHARES = [35, 28, 22, 12, 3] as const;
export const MARKET_SOURCE = "knowledge/research/market-distribution.md";

export interface MarketPosition {
  stage: number;
  /** Share of organisations at a lower stage, in percent. */
  below: number;
  /** Share at the same stage. */
  same: number;
  /** Share at a higher stage. */
  above: number;
  source: string;
}

export function marketPosition(level: number): MarketPosition {
  const stage = Math.min(4, Math.max(0, Math.round(level) - 1));
  const sum = (from: number, to: number) => STAGE_SHARES.slice(from, to).reduce((a, b) => a + b, 0);
  return {
    stage,
    below: sum(0, stage),
    same: STAGE_SHARES[stage]!,
    above: sum(stage + 1, 5),
    source: MARKET_SOURCE,
  };
}

export function describeMarket(position: MarketPosition): string {
  return (
    `Estimate: about ${position.below}% of organisations are at a lower stage, ${position.same}% at the same stage ` +
    `(research stage ${position.stage}) and ${position.above}% further along, by the research guide's market distribution.`
  );
}
