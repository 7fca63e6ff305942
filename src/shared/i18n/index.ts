import type { Locale } from '../ipc/app';
import { en } from './en';
import { zhCN, type Catalogue } from './zh-CN';

export const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en };

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Paths<Catalogue>;

export function lookup(cat: Catalogue, key: string): string | undefined {
  let node: unknown = cat;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Same `{{name}}` placeholders as i18next, so main and the renderer share one catalogue. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = lookup(catalogues[locale], key) ?? lookup(zhCN, key) ?? key;
  return params ? text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}
