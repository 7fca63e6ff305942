import type { Handlers } from '../../kernel/dispatch';
import { generateDemoPortfolio } from './demo';

export const demoHandlers: Handlers<'demo.generate'> = {
  'demo.generate': (ctx, input) => generateDemoPortfolio(ctx, input),
};
