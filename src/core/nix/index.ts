/** Public API of the Nix side of the core: parser adapter, syntax tree, string decoding, model, NixOS facts. */
export { initNixParser, isNixParserReady, locateWasm, NixIncrementalParser, parseNix } from './syntax';
export type * from './syntaxTree';
export { createDiskTreeStore, type NixTreeStore } from './treeStore';
export { indentBefore } from './syntaxConvert';
export { decodeString, decodeAttrName, type DecodedString } from './strings';
export { loadNixConfiguration, type LoadNixOptions } from './configuration';
export { readModule, type ImportReference, type ModuleContents } from './moduleReader';
export { readValue, Scope, stringItems } from './values';
export { winningDefinition, isEnabled } from './views';
export * from './nixosDefaults';
export type * from './model';
