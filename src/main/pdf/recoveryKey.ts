import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Locale } from '../../shared/ipc/app';
import { translate } from '../../shared/i18n';

export interface RecoveryKeySheet {
  institution: string;
  branch: string;
  dataDir: string;
  recoveryKey: string;
  createdAt: string;
  locale: Locale;
}

/** One A4 page: the key in large monospaced groups, where it was made, and how to keep it. */
export function recoveryKeyDoc(s: RecoveryKeySheet): TDocumentDefinitions {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string>) => translate(s.locale, k, p);
  return {
    pageSize: 'A4',
    pageMargins: [56, 64, 56, 64],
    info: { title: t('recoveryPdf.title') },
    content: [
      { text: t('recoveryPdf.title'), font: 'Sans', bold: true, fontSize: 20, alignment: 'center', margin: [0, 0, 0, 18] },
      {
        table: {
          widths: [110, '*'],
          body: [
            [t('recoveryPdf.institution'), `${s.institution}${s.branch ? ` ${s.branch}` : ''}`],
            [t('recoveryPdf.dataDir'), s.dataDir],
            [t('recoveryPdf.createdAt'), s.createdAt],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 24],
      },
      { text: t('recoveryPdf.keyLabel'), font: 'Sans', bold: true, margin: [0, 0, 0, 8] },
      {
        // Four groups to a line, broken only between groups, so no group is split on paper.
        table: { widths: ['*'], body: [[{ text: keyLines(s.recoveryKey), font: 'Sans', fontSize: 16, alignment: 'center', margin: [8, 14, 8, 14], characterSpacing: 1, lineHeight: 1.5 }]] },
        margin: [0, 0, 0, 24],
      },
      { text: t('recoveryPdf.howTo'), font: 'Sans', bold: true, margin: [0, 0, 0, 6] },
      { ul: [t('recoveryPdf.rule1'), t('recoveryPdf.rule2'), t('recoveryPdf.rule3'), t('recoveryPdf.rule4')], lineHeight: 1.4 },
      { text: t('recoveryPdf.sign'), margin: [0, 48, 0, 0] },
    ],
  };
}

function keyLines(key: string): string {
  const groups = key.split('-');
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4).join('-'));
  return lines.join('\n');
}
