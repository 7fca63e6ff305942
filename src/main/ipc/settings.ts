import type { Handlers } from './register';
import { getSettings, updateSettings } from '../services/settings';

export const settingsHandlers: Handlers<'settings.get' | 'settings.update'> = {
  'settings.get': (ctx) => getSettings(ctx),
  'settings.update': (ctx, input) => updateSettings(ctx, input),
};
