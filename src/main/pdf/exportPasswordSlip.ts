import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Locale } from '../../shared/ipc/app';
import { groupFingerprint } from '../../shared/ipc/archive';
import { translate } from '../../shared/i18n';
import { INNER_ARCHIVE } from '../archive/format';

export interface PasswordSlip {
  institution: string;
  branch: string;
  password: string;
  /** The package, once written; before that the slip says the export has not finished. */
  fileName: string | null;
  fingerprint: string | null;
  loans: number | null;
  printedAt: string;
  locale: Locale;
}

/**
 * One A4 page that travels apart from the package: the password in large monospaced groups, how to open the
 * package, and its fingerprint, which the recipient's verification must show again.
 */
export function passwordSlipDoc(s: PasswordSlip): TDocumentDefinitions {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate(s.locale, k, p);
  const dash = '—';
  return {
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    info: { title: t('slipPdf.title') },
    content: [
      { text: t('slipPdf.title'), font: 'Sans', bold: true, fontSize: 20, alignment: 'center', margin: [0, 0, 0, 18] },
      {
        table: {
          widths: [100, '*'],
          body: [
            [t('slipPdf.institution'), `${s.institution}${s.branch ? ` ${s.branch}` : ''}`],
            [t('slipPdf.file'), s.fileName ?? t('slipPdf.notYet')],
            [t('slipPdf.loans'), s.loans === null ? dash : String(s.loans)],
            [t('slipPdf.fingerprint'), s.fingerprint ? { text: groupFingerprint(s.fingerprint), font: 'Mono' } : dash],
            [t('slipPdf.printedAt'), s.printedAt],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 20],
      },
      { text: t('slipPdf.passwordLabel'), font: 'Sans', bold: true, margin: [0, 0, 0, 6] },
      {
        table: { widths: ['*'], body: [[{ text: s.password, font: 'Mono', fontSize: 22, alignment: 'center', margin: [8, 16, 8, 16], characterSpacing: 1 }]] },
        margin: [0, 0, 0, 6],
      },
      { text: t('slipPdf.passwordNote'), fontSize: 9.5, color: '#444444', margin: [0, 0, 0, 18] },
      { text: t('slipPdf.howTo'), font: 'Sans', bold: true, margin: [0, 0, 0, 4] },
      { ol: [t('slipPdf.step1'), t('slipPdf.step2', { inner: INNER_ARCHIVE }), t('slipPdf.step3')], lineHeight: 1.4, margin: [0, 0, 0, 14] },
      { text: t('slipPdf.rules'), font: 'Sans', bold: true, margin: [0, 0, 0, 4] },
      { ul: [t('slipPdf.rule1'), t('slipPdf.rule2'), t('slipPdf.rule3')], lineHeight: 1.4 },
      {
        columns: [
          { text: t('slipPdf.handedBy') },
          { text: t('slipPdf.receivedBy') },
        ],
        margin: [0, 40, 0, 0],
      },
    ],
  };
}
