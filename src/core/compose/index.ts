/**
 * The compose model: compose files (with overrides, .env, env_file, extends and include) read into services
 * with the source location of every value. See model.ts for the shapes.
 */
export * from './model';
export {
  COMPOSE_FILE_NAMES,
  COMPOSE_OVERRIDE_FILE_NAMES,
  isComposeFileName,
  isComposeOverrideName,
  findOverrideFile,
  findMainComposeFile,
} from './fileNames';
export { loadComposeProject, type LoadComposeOptions } from './loadProject';
export {
  interpolate,
  type EnvLookup,
  type EnvVariable,
  type InterpolationEnv,
  type InterpolationError,
  type InterpolationResult,
  type UnsetReference,
} from './interpolate';
export { parseEnvFile, type EnvFileEntry, type EnvFileProblem, type ParsedEnvFile } from './envFile';
export { parseShortPort, parseShortVolume, parseShortDevice, isCdiDeviceName, isNvidiaCdiName } from './shortSyntax';
export { MAX_COMPOSE_FILE_CHARS } from './limits';
export { ComposeParseCache } from './yamlParse';
