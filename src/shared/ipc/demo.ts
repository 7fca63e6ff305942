import { z } from 'zod';
import { password } from './fields';
import { writes, type AccessOf } from './access';

export const demoChannels = {
  'demo.generate': z.object({ borrowers: z.number().int().min(1).max(100_000), staffPassword: password }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const demoAccess = {
  'demo.generate': writes('users.manage'),
} satisfies AccessOf<typeof demoChannels>;

export interface DemoOutputs {
  'demo.generate': { borrowers: number; loans: number; factoring: number; repayments: number; guarantees: number; collateral: number; documents: number; batchMs: number };
}
