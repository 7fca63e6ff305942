import { z } from 'zod';
import { text } from './fields';
import { reads, type AccessOf } from './access';

/**
 * The system's open dialog. Only the Electron shell has one: under the loopback test bridge or the CLI
 * main answers `available: false` and the UI keeps its text field. `path` is null when the user cancelled.
 */
export type PickResult = { available: false } | { available: true; path: string | null };

const filter = z
  .object({
    name: text(60),
    extensions: z.array(z.string().min(1).max(10).regex(/^(\*|\w+)$/)).min(1).max(20),
  })
  .strict();

/**
 * Printing through main: the PDF parts are joined into one document and printed as one job from a hidden
 * window that shows only that PDF (the system dialog picks printer, copies and duplex). `printed` and
 * `cancelled` are the dialog's answer; `failed` carries the reason in the user's language. Unavailable under
 * the test bridge and the CLI, where the UI downloads the PDF instead.
 */
export type PrintOutcome = 'printed' | 'cancelled' | 'failed';
export type PrintResult = { available: false } | { available: true; outcome: PrintOutcome; message: string | null };
/** The fallback: the PDF saved to a temporary file and opened in the system's PDF reader. */
export type OpenPdfResult = { available: false } | { available: true; path: string };

const pdfParts = z.array(z.string().min(1).max(140_000_000).regex(/^[A-Za-z0-9+/]+=*$/)).min(1).max(100);

export const shellChannels = {
  'shell.pickFolder': z.object({ title: text(200), defaultPath: z.string().trim().max(1000).optional() }).strict(),
  'shell.pickFile': z.object({ title: text(200), defaultPath: z.string().trim().max(1000).optional(), filters: z.array(filter).max(10) }).strict(),
  'shell.printPdf': z.object({ title: text(200), parts: pdfParts }).strict(),
  'shell.openPdf': z.object({ title: text(200), parts: pdfParts }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const shellAccess = {
  // The first-run wizard and the data-folder page pick a folder before anyone can sign in.
  'shell.pickFolder': reads('public'),
  // The signed-out restore (when the store cannot be opened) picks its backup file; the dialog only returns a path.
  'shell.pickFile': reads('public'),
  // Printing and opening a PDF the caller already holds change no data.
  'shell.printPdf': reads('signed-in'),
  'shell.openPdf': reads('signed-in'),
} satisfies AccessOf<typeof shellChannels>;

export interface ShellOutputs {
  'shell.pickFolder': PickResult;
  'shell.pickFile': PickResult;
  'shell.printPdf': PrintResult;
  'shell.openPdf': OpenPdfResult;
}
