import { ensureArchiveDefaults } from '../archive/archive';
import { seedCatalogue } from '../warnings/warnings';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppInfo, DataProblem, Locale, Stage } from '../../../shared/ipc/app';
import { AppError } from '../../../shared/ipc/errors';
import { PostgresError } from '../../db/pg/connect';
import { keyCheck, KEYRING_FILE, readKeyring, wrapKey, type Keyring } from '../../db/keyring';
import { encodeRecoveryKey, newRecoverySecret, RECOVERY_FILE, sealRecovery } from '../../db/recoveryKey';
import { recoveryKeyDoc } from '../../pdf/recoveryKey';
import { renderPdf } from '../../pdf/render';
import { recordAudit } from '../../kernel/audit';
import type { AppContext } from '../../kernel/context';
import { assertNewPassword, putRecoveryWrap, putWrap, saveKeyring } from '../keys/keys';
import { sessionInfo } from '../session/session';
import { confirmBranchRecoveryKey, createBranchInstitution, joinBranch } from '../session/branch';
import { readJournal } from '../keys/rotation';
import { can } from '../../../shared/permissions';
import { writeSettings, DEFAULT_SETTINGS } from '../../kernel/settings';
import { assertLocalFolder, DB_FILE, openStore, storeExists, localOnly } from '../../kernel/store';

/**
 * What stops the remembered data folder from being used, or null. Checked on every start and every
 * `app.info`, before anything is opened, so a missing drive never leads to a new empty store in its place.
 */
export function dataProblemOf(ctx: AppContext): DataProblem | null {
  const dir = ctx.config.dataDir;
  if (!dir || ctx.store) return null;
  return folderProblem(dir);
}

function folderProblem(dir: string): DataProblem | null {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return { kind: 'missing', dir };
  if (!storeExists(dir)) return { kind: 'no-store', dir };
  try {
    accessSync(dir, constants.W_OK);
    accessSync(join(dir, DB_FILE), constants.R_OK | constants.W_OK);
  } catch {
    return { kind: 'read-only', dir };
  }
  return null;
}

export function stageOf(ctx: AppContext): Stage {
  // On the branch server: its keyring is there, not here; what this PC knows is whether someone signed in.
  if (ctx.config.server) {
    if (ctx.pendingRecoveryKey && ctx.session) return 'recovery-confirm';
    if (!ctx.session) return 'login';
    // An administrator with a rotation of the server's key unfinished, or its recovery key not yet taken.
    const rotating = ctx.store?.kind === 'branch' && (!!ctx.store.rotation || ctx.rotationJob?.phase === 'failed');
    return rotating && can(ctx.session.roles, 'settings.manage') ? 'rotation' : 'ready';
  }
  const dir = ctx.config.dataDir;
  if (dataProblemOf(ctx)) return 'data-unavailable';
  if (!storeExists(dir)) return 'setup';
  const kr = readKeyring(dir);
  if (kr.kind === 'ok' && !kr.keyring.setupConfirmed) return ctx.pendingRecoveryKey && ctx.session ? 'recovery-confirm' : 'setup';
  if (ctx.session && ctx.store && can(ctx.session.roles, 'settings.manage') && (readJournal(dir) || ctx.rotationJob?.phase === 'failed')) return 'rotation';
  return ctx.session ? 'ready' : 'login';
}

export function appInfo(ctx: AppContext): AppInfo {
  const stage = stageOf(ctx);
  const dir = ctx.config.dataDir;
  const kr = dir && stage !== 'setup' ? readKeyring(dir) : null;
  const server = ctx.config.server;
  return {
    stage,
    locale: ctx.config.locale,
    institution: server ? server.institution : kr?.kind === 'ok' ? kr.keyring.institution : null,
    branch: server ? server.branch : kr?.kind === 'ok' ? kr.keyring.branch : null,
    dataDir: server ? null : dir,
    server: server ? serverName(server.url) : null,
    version: ctx.version,
    locked: !!ctx.session?.locked,
    session: ctx.session && (stage === 'ready' || stage === 'recovery-confirm' || stage === 'rotation') ? sessionInfo(ctx.session) : null,
    dataProblem: stage === 'data-unavailable' ? dataProblemOf(ctx) : null,
  };
}

/** Uses another folder that holds a confirmed store; the unusable one is left exactly as it is. */
export function useDataDir(ctx: AppContext, raw: string): AppInfo {
  assertLocalFolder(ctx, raw);
  const dir = resolve(raw);
  assertLocalFolder(ctx, dir);
  const problem = folderProblem(dir);
  const kr = problem ? null : readKeyring(dir);
  if (problem || !kr || kr.kind !== 'ok' || !kr.keyring.setupConfirmed) {
    const message = ctx.t(problem?.kind === 'read-only' ? 'errors.dataDirReadOnly' : 'errors.noStoreInDir', { dir });
    throw new AppError('VALIDATION', message, [{ path: 'dataDir', message }]);
  }
  ctx.close();
  ctx.saveConfig({ dataDir: dir });
  return appInfo(ctx);
}

/** Forgets the remembered folder so the wizard can start; refuses while that folder is in fact usable. */
export function forgetDataDir(ctx: AppContext): AppInfo {
  if (stageOf(ctx) !== 'data-unavailable') throw new AppError('CONFLICT', ctx.t('errors.dataDirUsable'));
  ctx.saveConfig({ dataDir: null });
  return appInfo(ctx);
}

export function setLocale(ctx: AppContext, locale: Locale): AppInfo {
  ctx.saveConfig({ locale });
  return appInfo(ctx);
}

function assertWritable(ctx: AppContext, dir: string): void {
  assertLocalFolder(ctx, dir);
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch {
    throw new AppError('IO', ctx.t('errors.dataDirNotWritable', { dir }), [{ path: 'dataDir', message: ctx.t('errors.dataDirNotWritable', { dir }) }]);
  }
}

/** Moves the files of an earlier, unfinished attempt into a sub-folder; nothing is deleted. */
function setAside(dir: string, label: string, stamp: string): void {
  const target = join(dir, `${label}-${stamp.replace(/[:.]/g, '-')}`);
  mkdirSync(target, { recursive: true });
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, KEYRING_FILE, RECOVERY_FILE]) {
    if (existsSync(join(dir, f))) renameSync(join(dir, f), join(target, f));
  }
}

export async function createInstitution(
  ctx: AppContext,
  input: { institution: string; branch: string; dataDir: string; adminUsername: string; adminName: string; password: string; locale: Locale },
): Promise<{ recoveryKey: string; dataDir: string }> {
  if (stageOf(ctx) !== 'setup') throw new AppError('CONFLICT', ctx.t('errors.alreadySetUp'));
  ctx.saveConfig({ locale: input.locale });
  assertNewPassword(ctx, input.password, { username: input.adminUsername, institution: input.institution }, 'password');
  // Judged as typed too: resolving `//server/share` on POSIX loses what makes it a share.
  assertLocalFolder(ctx, input.dataDir);
  const dir = resolve(input.dataDir);
  assertWritable(ctx, dir);
  const stamp = ctx.nowIso();
  if (storeExists(dir)) {
    const kr = readKeyring(dir);
    if (kr.kind !== 'ok' || kr.keyring.setupConfirmed) {
      throw new AppError('CONFLICT', ctx.t('errors.storeExistsInDir', { dir }), [{ path: 'dataDir', message: ctx.t('errors.storeExistsInDir', { dir }) }]);
    }
    ctx.close();
    setAside(dir, 'abandoned-setup', stamp);
  }
  const dataKey = randomBytes(32);
  // The recovery key is its own secret that wraps the data key, so it can be replaced (and a rotation revokes it).
  const recoverySecret = newRecoverySecret();
  const recoveryWrap = sealRecovery(dataKey, recoverySecret);
  const store = await openStore(ctx, dir, dataKey, true);
  try {
    const keyring: Keyring = {
      format: 'loankeeper-keyring',
      version: 1,
      keyCheck: keyCheck(dataKey),
      setupConfirmed: false,
      institution: input.institution,
      branch: input.branch,
      users: {},
      disabled: [],
      attempts: {},
      recovery: recoveryWrap,
      auditHead: null,
    };
    // The keyring goes first, still unconfirmed: a crash at any point before the confirmation leaves an
    // unfinished setup, which the wizard sets aside and starts again (nothing is deleted).
    const wrap = wrapKey(dataKey, input.password);
    keyring.users[input.adminUsername] = wrap;
    saveKeyring(ctx, dir, keyring, null);
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ username: input.adminUsername, display_name: input.adminName, roles: JSON.stringify(['admin']), disabled: 0, must_change_password: 0, created_at: stamp, updated_at: stamp })
        .execute();
      await writeSettings(trx, { ...DEFAULT_SETTINGS, institution: input.institution, branch: input.branch });
      await putWrap(trx, keyring, input.adminUsername, wrap);
      await putRecoveryWrap(trx, keyring, recoveryWrap);
      const signals = await seedCatalogue(trx, stamp);
      await recordAudit(trx, stamp, { actor: input.adminUsername, action: 'setup.create', entity: 'institution', entityId: input.institution, detail: { branch: input.branch, recoveryKeyId: recoveryWrap.id, warningSignals: signals } });
    });
    // Now that the first entry is committed, its head goes outside.
    saveKeyring(ctx, dir, keyring, store);
    // The archive's document types and checklists, so that reading them never has to write them.
    await ensureArchiveDefaults(store.db, stamp);
  } catch (e) {
    store.close();
    setAside(dir, 'failed-setup', stamp);
    throw e instanceof AppError ? e : new AppError('IO', ctx.t('errors.setupFailed', { dir }));
  }
  ctx.store = store;
  ctx.saveConfig({ dataDir: dir });
  ctx.session = {
    username: input.adminUsername,
    displayName: input.adminName,
    roles: ['admin'],
    mustChangePassword: false,
    mustChangeReason: null,
    locked: false,
    lastActivity: ctx.clock.now().getTime(),
    idleMinutes: DEFAULT_SETTINGS.idleMinutes,
  };
  ctx.pendingRecoveryKey = encodeRecoveryKey(recoverySecret);
  recoverySecret.fill(0);
  return { recoveryKey: ctx.pendingRecoveryKey, dataDir: dir };
}

/** host:port/database of a server address, as shown to people. */
function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * The address or TLS refused by the connection's rules (db/pg/connect.ts), and a wrong database password, land
 * on the wizard's fields: the address, the CA certificate, the password. Anything else passes as it is.
 */
async function onField<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const path =
      e instanceof PostgresError ? ({ 'errors.pgNeedsTls': 'ca', 'errors.pgBadUrl': 'url', 'errors.pgUrlParam': 'url' } as Record<string, string>)[e.key] : undefined;
    if (e instanceof PostgresError && path) throw new AppError(e.code, e.message, [{ path, message: e.message }]);
    throw e;
  }
}

type ServerSetupInput = { url: string; dbPassword: string; ca: string | null; locale: Locale };

/** Sets a branch up on an empty database of the branch server (session/branch.ts). */
export async function createOnServer(
  ctx: AppContext,
  input: ServerSetupInput & { institution: string; branch: string; adminUsername: string; adminName: string; password: string },
): Promise<{ recoveryKey: string; server: string }> {
  if (stageOf(ctx) !== 'setup') throw new AppError('CONFLICT', ctx.t('errors.alreadySetUp'));
  ctx.saveConfig({ locale: input.locale });
  const { recoveryKey } = await onField(ctx, () => createBranchInstitution(ctx, { ...input, password: input.dbPassword, adminPassword: input.password }));
  return { recoveryKey, server: serverName(input.url) };
}

/** This PC joins a branch already set up on its server; its users then sign in as usual. */
export async function joinServer(ctx: AppContext, input: ServerSetupInput): Promise<AppInfo> {
  if (stageOf(ctx) !== 'setup') throw new AppError('CONFLICT', ctx.t('errors.alreadySetUp'));
  ctx.saveConfig({ locale: input.locale });
  await onField(ctx, () => joinBranch(ctx, { url: input.url, password: input.dbPassword, ca: input.ca }));
  return appInfo(ctx);
}

function requirePending(ctx: AppContext): string {
  if (!ctx.pendingRecoveryKey || !ctx.store || stageOf(ctx) !== 'recovery-confirm') throw new AppError('CONFLICT', ctx.t('errors.noPendingSetup'));
  return ctx.pendingRecoveryKey;
}

export async function recoveryKeyPdf(ctx: AppContext): Promise<{ fileName: string; base64: string }> {
  const key = requirePending(ctx);
  const server = ctx.config.server;
  const kr = server ? null : readKeyring(localOnly(ctx, ctx.store!).dir);
  const institution = server ? server.institution : kr?.kind === 'ok' ? kr.keyring.institution : '';
  const branch = server ? server.branch : kr?.kind === 'ok' ? kr.keyring.branch : '';
  const created = ctx.clock.now();
  const pdf = await renderPdf(
    ctx.paths.resourcesDir,
    recoveryKeyDoc({ institution, branch, dataDir: server ? serverName(server.url) : localOnly(ctx, ctx.store!).dir, recoveryKey: key, createdAt: created.toLocaleString(ctx.config.locale), locale: ctx.config.locale }),
  );
  return { fileName: ctx.t('recoveryPdf.fileName'), base64: pdf.toString('base64') };
}

export async function confirmRecoveryKey(ctx: AppContext): Promise<AppInfo> {
  requirePending(ctx);
  if (ctx.store?.kind === 'branch') {
    await confirmBranchRecoveryKey(ctx);
    return appInfo(ctx);
  }
  const store = localOnly(ctx, ctx.store!);
  const kr = readKeyring(store.dir);
  if (kr.kind !== 'ok') throw new AppError('IO', ctx.t('errors.keyringDamaged', { file: join(store.dir, KEYRING_FILE) }));
  // Database first: a crash before the keyring says "confirmed" leaves an unfinished setup, started again.
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.nowIso(), { actor: ctx.session!.username, action: 'setup.confirmRecoveryKey', entity: 'institution', entityId: kr.keyring.institution }),
  );
  kr.keyring.setupConfirmed = true;
  saveKeyring(ctx, store.dir, kr.keyring);
  ctx.pendingRecoveryKey = null;
  return appInfo(ctx);
}
