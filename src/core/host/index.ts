/** Public API of the host snapshot: model, schema, parsers, loading, queries and the read-only extraction. */
export type * from './model';
export type { Parsed, ParseWarning } from './parsed';
export { snapshotSchema, validateSnapshot, type SnapshotValidation } from './schema';
export { parseLsblkText } from './lsblk';
export { parseLsblkJson } from './lsblkJson';
export { parseFstab, classifySpec } from './fstab';
export { parseId } from './id';
export { parseGetentGroup } from './getent';
export { parseDri, type IdResolver } from './dri';
export { parseLspci, displayControllerLines } from './lspci';
export { parseOsRelease, parseOsReleaseFields } from './osRelease';
export { RAW_FILES, classifyRawFile, idFileName, groupFileName, idCommand, groupCommand, type RawFileKind, type RawFileSpec } from './rawFiles';
export { loadSnapshotFromFiles, type LoadedSnapshot, type SnapshotFileProblem } from './loadSnapshot';
export { loadSnapshotDir } from './loadSnapshotDir';
export type { DirReader } from '../types';
export { serializeSnapshot } from './serializeSnapshot';
export { dataMounts, mountCovering, isSystemMountpoint, normalizePath } from './mounts';
export { userByUid, userByName, groupByGid, groupByName, knownGroups, gpuVendors, renderGroupGid } from './queries';
export { validateUserName, validateGid, shellQuote, MAX_GID, type Validated } from './shellArguments';
export {
  buildExtractionScript,
  extractionCommands,
  idSection,
  groupSection,
  SECTIONS,
  SECTION_BEGIN,
  SECTION_END,
  type ExtractionCommand,
  type ExtractionTargets,
} from './commands';
export { parseExtractionOutput, type ExtractionOutput } from './extractionOutput';
export { completeSnapshotFiles, type SnapshotFilesOptions, type SnapshotFilesResult } from './snapshotFiles';
export { selectImportFiles, type ImportSelection } from './importFiles';
export { SectionProgress, describeSection } from './sectionProgress';
