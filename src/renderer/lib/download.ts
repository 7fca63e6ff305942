function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadBase64(base64: string, fileName: string, type: string): void {
  downloadBytes(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), fileName, type);
}

export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, type: string): void {
  save(new Blob([bytes], { type }), fileName);
}

export function downloadText(text: string, fileName: string): void {
  // A BOM so Windows Notepad opens the Chinese text as UTF-8.
  save(new Blob(['\uFEFF', text], { type: 'text/plain;charset=utf-8' }), fileName);
}
