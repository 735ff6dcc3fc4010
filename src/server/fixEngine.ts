/**
 * The one place the server reaches the fix engine (src/core/fixes), so code actions and "Apply All Fixes" share it.
 */
import type { ComputeFixes } from '../core/applyFixes';
import { computeFixes as engine } from '../core/fixes';

export const computeFixes: ComputeFixes = engine;
