import type { Handlers } from '../../kernel/dispatch';
import { getToday } from './today';

export const todayHandlers: Handlers<'today.get'> = {
  'today.get': (ctx) => getToday(ctx),
};
