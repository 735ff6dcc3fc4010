/** Verify: a read-only script for the NixOS host, and the report judged from its output. */
export type { ExpectedGroup, ExpectedMount, ExpectedUser, VerifyExpectation } from './expectation';
export { validateExpectation } from './expectation';
export { buildVerifyScript, type VerifyScriptResult } from './script';
export { parseSections, SECTION_BEGIN, SECTION_END, type Section } from './sections';
export { evaluateVerify } from './evaluate';
export { allPassed, type VerifyCheck, type VerifyReport, type VerifyStatus } from './report';
export { formatVerifyText } from './format';
