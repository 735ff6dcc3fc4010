import type { GpuDevice, GpuVendor } from './model';
import { splitLines, type Parsed } from './parsed';

/** `[0000:]01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA106 [...] [10de:2504] (rev a1)` */
const LSPCI_LINE = /^((?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s+(.+?)(?:\s+\[([0-9a-fA-F]{4})\])?:\s+(.*)$/;
const IDS = /\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\]/g;

const VENDOR_BY_ID: Record<string, GpuVendor> = { '8086': 'intel', '1002': 'amd', '10de': 'nvidia' };

/**
 * Parses `lspci -nn` and keeps the display controllers (PCI class 03xx: VGA compatible, 3D, display). Plain
 * `lspci` output without ids is accepted too: the class is then read from its name and the vendor from its text.
 */
export function parseLspci(text: string): Parsed<GpuDevice[]> {
  const gpus: GpuDevice[] = [];
  for (const raw of splitLines(text)) {
    const match = LSPCI_LINE.exec(raw.trim());
    if (!match) continue;
    const [, slot = '', className = '', classCode, rest = ''] = match;
    if (!isDisplayClass(className, classCode)) continue;
    const ids = [...rest.matchAll(IDS)].pop();
    const vendorId = ids?.[1]?.toLowerCase();
    const deviceId = ids?.[2]?.toLowerCase();
    const description = (ids?.index !== undefined ? rest.slice(0, ids.index) : rest).replace(/\s*\(rev [0-9a-fA-F]+\)\s*$/, '').trim();
    const gpu: GpuDevice = { slot, vendor: vendorOf(vendorId, description), description };
    if (vendorId) gpu.vendorId = vendorId;
    if (deviceId) gpu.deviceId = deviceId;
    gpus.push(gpu);
  }
  return { value: gpus, warnings: [] };
}

/** Keeps only the display-controller lines of `lspci -nn` output (what `gpu.txt` holds). */
export function displayControllerLines(text: string): string {
  const kept = splitLines(text).filter((raw) => {
    const match = LSPCI_LINE.exec(raw.trim());
    return match !== null && isDisplayClass(match[2] ?? '', match[3]);
  });
  return kept.length === 0 ? '' : kept.join('\n') + '\n';
}

function isDisplayClass(className: string, classCode: string | undefined): boolean {
  if (classCode !== undefined) return classCode.startsWith('03');
  return /\b(VGA compatible controller|3D controller|Display controller)\b/i.test(className);
}

function vendorOf(vendorId: string | undefined, description: string): GpuVendor {
  const byId = vendorId ? VENDOR_BY_ID[vendorId] : undefined;
  if (byId) return byId;
  if (/\bNVIDIA\b/i.test(description)) return 'nvidia';
  if (/\bIntel\b/i.test(description)) return 'intel';
  if (/\b(AMD|ATI|Advanced Micro Devices)\b/i.test(description)) return 'amd';
  return 'other';
}
