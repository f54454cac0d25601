export { type Mode, type Question, QuestionBank, type QuestionOption } from "./bank.js";
export { COMPONENTS, componentName, componentsOfItem } from "./components.js";
export { describeMarket, type MarketPosition, marketPosition, STAGE_SHARES } from "./market.js";
export {
  type Answers,
  type ComponentResult,
  DISAGREEMENT_SPREAD,
  individualResult,
  MIN_RESPONDENTS,
  type QuestionAggregate,
  type Result,
  type TeamResult,
  teamResult,
} from "./results.js";
export {
  type Band,
  bandFromScore,
  dimensionScore,
  levelFloor,
  levelFromScore,
  median,
  round1,
  scoreOf,
} from "./scoring.js";
