import type { Handlers } from '../../kernel/dispatch';
import { getInspectionRules, getSettings, settingsLimits, updateInspectionRules, updateSettings } from './settings';

export const settingsHandlers: Handlers<'settings.get' | 'settings.limits' | 'settings.update' | 'settings.inspectionRules' | 'settings.updateInspectionRules'> = {
  'settings.limits': (ctx) => settingsLimits(ctx),
  'settings.get': (ctx) => getSettings(ctx),
  'settings.update': (ctx, input) => updateSettings(ctx, input),
  'settings.inspectionRules': (ctx) => getInspectionRules(ctx),
  'settings.updateInspectionRules': (ctx, input) => updateInspectionRules(ctx, input),
};
