import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogues } from '../shared/i18n';
import type { Catalogue } from '../shared/i18n/zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: Catalogue };
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: catalogues['zh-CN'] }, en: { translation: catalogues.en } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
