/** The generator: what the stacks need from NixOS, as a module (`generate`) and as checks (`verify`). */
export { collectNeeds, mapToHost, type HomelabNeeds, type NeededGroup, type NeededMount, type NeededStack, type NeededUser, type NeedsOptions } from './needs';
export { generateModule, isAnswered, type AnsweredFinding, type GenerateOptions, type GeneratedModule } from './generateModule';
export { expectationFromNeeds } from './verifyExpectation';
export { deriveExtractionTargets, type DerivedTargets } from './extractionTargets';
