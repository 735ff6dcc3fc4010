/**
 * What every host-output parser returns: the value it could read plus warnings about lines it had to skip.
 * Parsers never throw; a file that is entirely unreadable yields an empty value and a warning.
 */
export interface ParseWarning {
  /** 1-based line in the parsed text, when the warning is about one line. */
  line?: number;
  message: string;
}

export interface Parsed<T> {
  value: T;
  warnings: ParseWarning[];
}

/** Splits text into lines, accepting \n, \r\n and lone \r. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Decodes the escapes the kernel, fstab and lsblk use for awkward characters in paths: octal (`\040`) and hex
 * (`\x20`). Anything else is left as written.
 */
export function decodePathEscapes(value: string): string {
  return value
    .replace(/\\x([0-9a-fA-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\([0-3][0-7]{2})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
