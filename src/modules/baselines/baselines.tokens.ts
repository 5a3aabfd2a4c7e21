/** The parsed config/baselines.json (BaselineRules), loaded and validated once at boot. */
export const BASELINE_RULES = Symbol('BASELINE_RULES');
