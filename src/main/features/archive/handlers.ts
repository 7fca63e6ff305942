import type { Handlers } from '../../kernel/dispatch';
import { approveDestruction, archiveGaps, checklist, destructionLists, destructionPdf, executeDestruction, getLocation, labelsPdf, lendFile, listDocTypes, listLendings, proposeDestruction, reassignLoans, returnFile, saveDocType, setLocation } from './archive';
import { cancelExport, exportStatus, newExportPassword, passwordSlip, startExport } from './archiveExport';
import { cancelImport, importedArchives, importedFile, importedFiles, importPackage, importStatus, startImport } from './archiveImport';
import { verifyPackage } from './archiveVerify';
import { requirePermission } from '../../kernel/authz';

export const archiveHandlers: Handlers<
  | 'archive.export'
  | 'archive.exportStatus'
  | 'archive.cancelExport'
  | 'archive.verify'
  | 'archive.newPassword'
  | 'archive.passwordSlip'
  | 'archive.docTypes'
  | 'archive.saveDocType'
  | 'archive.checklist'
  | 'archive.gaps'
  | 'archive.location'
  | 'archive.setLocation'
  | 'archive.lend'
  | 'archive.return'
  | 'archive.lendings'
  | 'archive.labelsPdf'
  | 'archive.proposeDestruction'
  | 'archive.approveDestruction'
  | 'archive.destructionLists'
  | 'archive.executeDestruction'
  | 'archive.destructionPdf'
  | 'archive.importPackage'
  | 'archive.importStart'
  | 'archive.importStatus'
  | 'archive.importCancel'
  | 'loans.reassign'
  | 'archive.imported'
  | 'archive.importedFiles'
  | 'archive.importedFile'
> = {
  'archive.importPackage': (ctx, input) => importPackage(ctx, input),
  'archive.importStart': (ctx, input) => startImport(ctx, input),
  'archive.importStatus': (ctx, input) => importStatus(ctx, input),
  'archive.importCancel': (ctx, input) => cancelImport(ctx, input),
  'loans.reassign': (ctx, input) => reassignLoans(ctx, input),
  'archive.imported': (ctx) => importedArchives(ctx),
  'archive.importedFiles': (ctx, input) => importedFiles(ctx, input),
  'archive.importedFile': (ctx, input) => importedFile(ctx, input),
  'archive.docTypes': (ctx) => listDocTypes(ctx),
  'archive.saveDocType': (ctx, input) => saveDocType(ctx, input),
  'archive.checklist': (ctx, input) => checklist(ctx, input),
  'archive.gaps': (ctx, input) => archiveGaps(ctx, input),
  'archive.location': (ctx, input) => getLocation(ctx, input),
  'archive.setLocation': (ctx, input) => setLocation(ctx, input),
  'archive.lend': (ctx, input) => lendFile(ctx, input),
  'archive.return': (ctx, input) => returnFile(ctx, input),
  'archive.lendings': (ctx, input) => listLendings(ctx, input),
  'archive.labelsPdf': (ctx, input) => labelsPdf(ctx, input),
  'archive.proposeDestruction': (ctx, input) => proposeDestruction(ctx, input),
  'archive.approveDestruction': (ctx, input) => approveDestruction(ctx, input),
  'archive.destructionLists': (ctx) => destructionLists(ctx),
  'archive.executeDestruction': (ctx, input) => executeDestruction(ctx, input),
  'archive.destructionPdf': (ctx, input) => destructionPdf(ctx, input),
  'archive.export': (ctx, input) => startExport(ctx, input),
  'archive.exportStatus': (ctx, input) => exportStatus(ctx, input),
  'archive.cancelExport': (ctx, input) => cancelExport(ctx, input),
  'archive.newPassword': (ctx) => newExportPassword(ctx),
  'archive.passwordSlip': (ctx, input) => passwordSlip(ctx, input),
  'archive.verify': async (ctx, input) => {
    requirePermission(ctx, 'portfolio.read');
    return await verifyPackage(input.file, input.password, (k, p) => ctx.t(k as never, p));
  },
};
