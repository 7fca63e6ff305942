import type { Handlers } from '../../kernel/dispatch';
import { appInfo, confirmRecoveryKey, createInstitution, createOnServer, forgetDataDir, joinServer, recoveryKeyPdf, setLocale, useDataDir } from './setup';

export const appHandlers: Handlers<'app.info' | 'app.setLocale' | 'setup.defaults' | 'setup.create' | 'setup.createOnServer' | 'setup.joinServer' | 'setup.recoveryKeyPdf' | 'setup.confirmRecoveryKey' | 'setup.useDataDir' | 'setup.forgetDataDir'> = {
  'app.info': (ctx) => appInfo(ctx),
  'app.setLocale': (ctx, { locale }) => setLocale(ctx, locale),
  'setup.defaults': (ctx) => ({ dataDir: ctx.paths.defaultDataDir }),
  'setup.create': (ctx, input) => createInstitution(ctx, input),
  'setup.createOnServer': (ctx, input) => createOnServer(ctx, input),
  'setup.joinServer': (ctx, input) => joinServer(ctx, input),
  'setup.recoveryKeyPdf': (ctx) => recoveryKeyPdf(ctx),
  'setup.confirmRecoveryKey': (ctx) => confirmRecoveryKey(ctx),
  'setup.useDataDir': (ctx, { dataDir }) => useDataDir(ctx, dataDir),
  'setup.forgetDataDir': (ctx) => forgetDataDir(ctx),
};
