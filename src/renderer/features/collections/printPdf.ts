import { downloadBase64 } from '../../lib/download';
import { base64ToBlob } from '../documents/files';

export type PrintOutcome = 'dialog' | 'downloaded';

/**
 * Prints a PDF through the system print dialog: the PDF opens in a hidden frame whose window is asked to
 * print. Where that is not possible (the frame is blocked, or there is no PDF viewer) the PDF is downloaded
 * instead, for the user to print from a reader. Resolves once the dialog has closed or the file is saved.
 */
export function printPdf(base64: string, fileName: string): Promise<PrintOutcome> {
  const url = URL.createObjectURL(base64ToBlob(base64, 'application/pdf'));
  const frame = document.createElement('iframe');
  frame.title = fileName;
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  // Not display:none: a frame that is not rendered does not print.
  Object.assign(frame.style, { position: 'fixed', right: '0', bottom: '0', width: '1px', height: '1px', border: '0', opacity: '0', pointerEvents: 'none' });
  return new Promise<PrintOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PrintOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      document.removeEventListener('securitypolicyviolation', onViolation);
      if (outcome === 'downloaded') downloadBase64(base64, fileName, 'application/pdf');
      // The dialog may still be reading the frame; leave it a while.
      setTimeout(() => {
        frame.remove();
        URL.revokeObjectURL(url);
      }, 60_000);
      resolve(outcome);
    };
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      if (e.blockedURI.startsWith('blob')) finish('downloaded');
    };
    const timer = setTimeout(() => finish('downloaded'), 5000);
    document.addEventListener('securitypolicyviolation', onViolation);
    frame.onload = () => {
      if (settled) return;
      try {
        const w = frame.contentWindow;
        // A blocked frame shows an error page of another origin: touching its document throws.
        if (!w || !w.document) throw new Error('no frame');
        w.focus();
        w.print();
        finish('dialog');
      } catch {
        finish('downloaded');
      }
    };
    frame.src = url;
    document.body.append(frame);
  });
}
