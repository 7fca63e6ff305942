import { z } from 'zod';
import { empty, optionalText, text } from './fields';

export interface Settings {
  institution: string;
  branch: string;
  idleMinutes: number;
}

export const settingsChannels = {
  'settings.get': empty,
  'settings.update': z
    .object({ institution: text(100), branch: optionalText(100), idleMinutes: z.number().int().min(1).max(240) })
    .strict(),
};

export interface SettingsOutputs {
  'settings.get': Settings;
  'settings.update': Settings;
}
