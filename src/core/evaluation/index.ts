export { PROJECTION, PROJECTED_OPTIONS, PROJECTION_VERSION } from './projection';
export { parseProjection, failedParts, evaluatedRelease, okOf, type HostEvaluation, type Projection } from './schema';
export { mergeEvaluation, evaluationOf, isEvaluatedDefinition, isEvaluatedOnly, workspaceFileMapper } from './merge';
export { evaluationFindings, markEvaluated, configurationMessages, ruleRunsOn, EVALUATED_KEY } from './findings';
export { evaluationTarget, evaluationCacheKey, type EvaluationTarget } from './target';
