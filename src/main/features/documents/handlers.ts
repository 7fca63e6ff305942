import type { Handlers } from '../../kernel/dispatch';
import { addDocument, listDocuments, removeDocument, replaceDocument, restoreDocument } from './archiveDocuments';

export const documentsHandlers: Handlers<'documents.list' | 'documents.add' | 'documents.replace' | 'documents.remove' | 'documents.restore'> = {
  'documents.list': (ctx, input) => listDocuments(ctx, input),
  'documents.add': (ctx, input) => addDocument(ctx, input),
  'documents.replace': (ctx, input) => replaceDocument(ctx, input),
  'documents.remove': (ctx, input) => removeDocument(ctx, input),
  'documents.restore': (ctx, input) => restoreDocument(ctx, { documentId: input.documentId, reason: input.reason }),
};
