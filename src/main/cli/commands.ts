import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/ipc/errors';
import { resourcesDir } from '../nodePaths';
import { AppContext } from '../services/context';
import { backupTo, runChecks } from '../services/maintenance';
import { login } from '../services/session';
import { confirmRecoveryKey, createInstitution } from '../services/setup';
import { CliError, readPassword } from './io';

export type Flags = Record<string, string | boolean | undefined>;

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`缺少参数 --${name}（missing --${name}）`, 2);
  return v;
}

/** A headless context whose config lives in a throwaway folder and points at the given data folder. */
function contextFor(dataDir: string): AppContext {
  const ctx = new AppContext({ configDir: mkdtempSync(join(tmpdir(), 'loankeeper-cli-')), defaultDataDir: dataDir, resourcesDir: resourcesDir() });
  ctx.config.dataDir = resolve(dataDir);
  return ctx;
}

/** Every command on an existing store signs in as a user and runs with that user's permissions. */
export async function authenticated(flags: Flags): Promise<AppContext> {
  const ctx = contextFor(need(flags, 'data-dir'));
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  await login(ctx, { username, password });
  return ctx;
}

export async function cmdInit(flags: Flags): Promise<void> {
  const dataDir = need(flags, 'data-dir');
  const ctx = contextFor(dataDir);
  ctx.config.dataDir = null;
  const admin = need(flags, 'admin');
  const password = await readPassword(flags['password-file'] as string | undefined, `${admin} 的密码: `);
  try {
    const { recoveryKey } = await createInstitution(ctx, {
      institution: need(flags, 'institution'),
      branch: typeof flags.branch === 'string' ? flags.branch : '',
      dataDir,
      adminUsername: admin,
      adminName: typeof flags['admin-name'] === 'string' ? flags['admin-name'] : admin,
      password,
      locale: 'zh-CN',
    });
    await confirmRecoveryKey(ctx);
    process.stderr.write(`已在 ${resolve(dataDir)} 创建加密数据库。恢复密钥如下，请打印或离线保存：\n`);
    process.stdout.write(`${recoveryKey}\n`);
  } finally {
    ctx.close();
  }
}

export async function cmdCheck(flags: Flags): Promise<void> {
  const ctx = await authenticated(flags);
  try {
    const r = await runChecks(ctx);
    const line = (ok: boolean, text: string) => process.stdout.write(`${ok ? 'OK  ' : 'FAIL'} ${text}\n`);
    line(r.integrity === 'ok', `数据库完整性 integrity_check: ${r.integrity}`);
    line(r.audit.ok, `审计哈希链 audit chain: ${r.audit.count} 条${r.audit.ok ? '' : `，第 ${r.audit.brokenAt} 条处断开`}`);
    line(r.pendingMigrations.length === 0, `数据库结构 migrations: ${r.pendingMigrations.length === 0 ? '已是最新' : `待升级 ${r.pendingMigrations.join(', ')}`}`);
    if (!r.ok) throw new CliError('检查未通过 (check failed)');
  } finally {
    ctx.close();
  }
}

export async function cmdBackup(flags: Flags): Promise<void> {
  const to = need(flags, 'to');
  const ctx = await authenticated(flags);
  try {
    const { file } = await backupTo(ctx, to);
    process.stdout.write(`已备份到 ${file}\n`);
  } finally {
    ctx.close();
  }
}

export function describeError(e: unknown): string {
  if (e instanceof AppError || e instanceof CliError) return e.message;
  return `程序内部错误：${(e as Error)?.message ?? String(e)}`;
}
