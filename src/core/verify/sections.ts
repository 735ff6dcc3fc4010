/** The sections of the verify script's output (the format and its parser are shared with the extraction). */

export { parseSections, SECTION_BEGIN, SECTION_END, type Section } from '../host/sections';

/** Section names, shared by the script builder and the checks. */
export const SectionName = {
  uname: 'uname',
  osRelease: 'os-release',
  renderNodes: 'render-nodes',
  docker: 'docker',
  autostart: 'autostart',
  autostartJournal: 'autostart-journal',
  mounts: 'findmnt',
  passwd: (user: string) => `passwd:${user}`,
  group: (gid: number) => `group:${gid}`,
} as const;
