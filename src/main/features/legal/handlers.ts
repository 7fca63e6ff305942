import type { LegalOutputs } from '../../../shared/ipc/legal';
import type { Handlers } from '../../kernel/dispatch';
import { addLegalCost, addLegalRecovery, addPreservation, closeLegalCase, decideNplPlan, openLegalCase, proposeNplPlan, releasePreservation, updateLegalCase } from './commands';
import { getLegal } from './queries';

export const legalHandlers: Handlers<keyof LegalOutputs> = {
  'legal.get': (ctx, input) => getLegal(ctx, input),
  'legal.open': (ctx, input) => openLegalCase(ctx, input),
  'legal.update': (ctx, input) => updateLegalCase(ctx, input),
  'legal.addPreservation': (ctx, input) => addPreservation(ctx, input),
  'legal.releasePreservation': (ctx, input) => releasePreservation(ctx, input),
  'legal.addCost': (ctx, input) => addLegalCost(ctx, input),
  'legal.addRecovery': (ctx, input) => addLegalRecovery(ctx, input),
  'legal.close': (ctx, input) => closeLegalCase(ctx, input),
  'legal.proposePlan': (ctx, input) => proposeNplPlan(ctx, input),
  'legal.decidePlan': (ctx, input) => decideNplPlan(ctx, input),
};
