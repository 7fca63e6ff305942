import { z } from 'zod';
import { password } from './fields';

export const demoChannels = {
  'demo.generate': z.object({ borrowers: z.number().int().min(1).max(100_000), staffPassword: password }).strict(),
};

export interface DemoOutputs {
  'demo.generate': { borrowers: number; loans: number; factoring: number; repayments: number; guarantees: number; collateral: number; documents: number; batchMs: number };
}
