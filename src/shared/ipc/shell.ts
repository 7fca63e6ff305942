import { z } from 'zod';
import { text } from './fields';

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

export const shellChannels = {
  'shell.pickFolder': z.object({ title: text(200), defaultPath: z.string().trim().max(1000).optional() }).strict(),
  'shell.pickFile': z.object({ title: text(200), defaultPath: z.string().trim().max(1000).optional(), filters: z.array(filter).max(10) }).strict(),
};

export interface ShellOutputs {
  'shell.pickFolder': PickResult;
  'shell.pickFile': PickResult;
}
