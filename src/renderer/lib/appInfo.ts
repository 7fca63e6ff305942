import { createContext, useContext } from 'react';
import type { AppInfo, Locale } from '../../shared/ipc/app';

export interface AppInfoContextValue {
  info: AppInfo;
  /** Re-reads `app.info` from main; the screen follows the new stage. */
  refresh(): Promise<void>;
  setInfo(info: AppInfo): void;
  changeLocale(locale: Locale): Promise<void>;
}

export const AppInfoContext = createContext<AppInfoContextValue | null>(null);

export function useAppInfo(): AppInfoContextValue {
  const ctx = useContext(AppInfoContext);
  if (!ctx) throw new Error('useAppInfo outside AppInfoContext');
  return ctx;
}

/** The current locale; outside the provider (never in practice) zh-CN. */
export function useLocale(): Locale {
  return useContext(AppInfoContext)?.info.locale ?? 'zh-CN';
}
