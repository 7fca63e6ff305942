/** The lists that export to Excel, each from its own page with the page's filters (main/features/listExport/listExports.ts). */
export const EXPORTED_LISTS = ['loans', 'borrowers', 'warnings', 'inspections', 'notices', 'promises', 'writeoffs', 'worklog', 'audit'] as const;
export type ListName = (typeof EXPORTED_LISTS)[number];

/** A workbook for the renderer to save, as the other exports return it. */
export interface ExportedFile {
  fileName: string;
  base64: string;
}
