/** The five capability components of the Technology & Operations guide. */
export const COMPONENTS = [
  { id: "ai-ml-capability", name: "AI/ML technical capability" },
  { id: "mlops-maturity", name: "MLOps maturity" },
  { id: "model-lifecycle", name: "Model lifecycle management" },
  { id: "production-operations", name: "Production operations" },
  { id: "technical-standards", name: "Technical standards" },
] as const;

export type ComponentId = (typeof COMPONENTS)[number]["id"];

export function componentName(id: string): string {
  return COMPONENTS.find((c) => c.id === id)?.name ?? id;
}

/**
 * Words that tie a roadmap checklist item to a component, so that `roadmap` can put first what the
 * team's weakest components need. An item may belong to several components.
 */
const KEYWORDS: Record<ComponentId, RegExp> = {
  "ai-ml-capability":
    /automl|azure ml workspace|research partnership|distributed training|explainab|shap|lime|quantization|pruning|architecture|multi-modal|reinforcement|federated|quantum|research lab|ensemble|online learning|sandbox|advanced ml|experimentation/i,
  "mlops-maturity":
    /ci\/cd|pipeline|automat|github actions|azure devops|a\/b|canary|feature flag|continuous|champion|challenger|retrain|rollback|zero-touch|self-healing|aiops|model selection/i,
  "model-lifecycle":
    /registry|register|registration|versioning|version standard|lineage|retir|governance|metadata|experiment tracking|model marketplace|model factory|lifecycle|approval/i,
  "production-operations":
    /deploy|monitor|dashboard|alert|on-call|runbook|slo|incident|uptime|latency|finops|multi-region|scal|quota|drift|bias|operations|chaos|predictive|inference|endpoint|production/i,
  "technical-standards":
    /\bgit\b|git\/github|lint|code review|repository|notebooks? (?:to|into)|python modules|packages|test|document|security|compliance|standard|template|train the team|guild|best practices|playbook|publish|mentor|conference|open-source|benchmarks/i,
};

export function componentsOfItem(text: string): ComponentId[] {
  return COMPONENTS.map((c) => c.id).filter((id) => KEYWORDS[id].test(text));
}
