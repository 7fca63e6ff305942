import type { Handlers } from '../../kernel/dispatch';
import { getSettings, settingsLimits, updateSettings } from './settings';

export const settingsHandlers: Handlers<'settings.get' | 'settings.limits' | 'settings.update'> = {
  'settings.limits': (ctx) => settingsLimits(ctx),
  'settings.get': (ctx) => getSettings(ctx),
  'settings.update': (ctx, input) => updateSettings(ctx, input),
};
