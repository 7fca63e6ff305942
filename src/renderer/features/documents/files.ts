import { isHeifHead } from '../../../shared/ipc/documents';

/** A picked or dropped file as base64, for a channel's `base64` field. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      ok(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => fail(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export function base64ToBlob(base64: string, type: string): Blob {
  return new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type });
}

/** 1536 → "1.5 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Upload sizes are stated in MB of 1,048,576 bytes everywhere, as main checks them. */
export const MB = 1024 * 1024;

/** 23,068,672 bytes → "22.0 MB"; a small file still reads in MB ("0.1 MB"), so sizes and limits compare at a glance. */
export function formatMb(bytes: number): string {
  return `${Math.max(0.1, bytes / MB).toFixed(1)} MB`;
}

type Translate = (key: 'errors.emptyFile' | 'errors.heicNotAllowed' | 'documentsUi.tooLarge', params: Record<string, string | number>) => string;

/**
 * Why a picked file will not be sent, or null: empty, a HEIC/HEIF photo (by its first bytes or its name), or over
 * the limit in the settings. Main checks the same on the bytes it receives.
 */
export async function uploadProblem(file: File, maxMb: number, t: Translate): Promise<string | null> {
  if (file.size === 0) return t('errors.emptyFile', { name: file.name });
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (isHeifHead(head) || /\.(heic|heif)$/i.test(file.name)) return t('errors.heicNotAllowed', { name: file.name });
  if (file.size > maxMb * MB) return t('documentsUi.tooLarge', { name: file.name, size: formatMb(file.size), max: maxMb });
  return null;
}
