import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Locale } from '../../src/shared/ipc/app';
import { translate, type MessageKey } from '../../src/shared/i18n';

export const SCREENS = 'test-results/e2e-screens';
mkdirSync(SCREENS, { recursive: true });

export function tr(locale: Locale) {
  return (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** In English every word on screen is English: only user data and the language's own name may be Chinese. */
export async function expectNoChinese(page: Page, allowed: string[] = []): Promise<void> {
  let text = await page.locator('body').innerText();
  for (const a of ['中文', ...allowed]) text = text.split(a).join('');
  expect(text.match(/[\u3400-\u9fff]+/g) ?? []).toEqual([]);
}
