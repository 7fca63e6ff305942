import { fork } from 'node:child_process';
import { appendFileSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDocument } from '../features/documents/archiveDocuments';
import { AppContext } from '../kernel/context';
import { generateDemoPortfolio } from '../features/demo/demo';
import { runChecks } from '../features/backups/maintenance';
import { login, logout } from '../features/session/session';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { addWorklog } from '../features/worklog/worklog';
import { resourcesDir } from '../nodePaths';

// Crash trials (`npm run bench`): a writer process commits business changes and logs each one after it
// returns; it is killed with SIGKILL at a random moment; then the store is checked. Every commit the
// writer saw must be there, and the store must pass `check` (integrity, audit chain, document files).
const PASSWORD = 'Crash-pass-2026';
const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');

function context(root: string): AppContext {
  return new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resourcesDir() });
}

/** The child: writes until it is killed. Each logged line is a commit that returned. */
export async function crashWriter(root: string, log: string): Promise<void> {
  const ctx = context(root);
  await login(ctx, { username: 'officer1', password: PASSWORD });
  const db = ctx.store!.db;
  const loans = await db.selectFrom('loans').select(['id', 'borrower_id']).where('officer', '=', 'officer1').where('status', '=', 'active').limit(5).execute();
  const fd = openSync(log, 'a');
  process.send?.('ready');
  for (let n = 0; ; n++) {
    const loan = loans[n % loans.length];
    const tag = `${process.pid}-${n}`;
    if (n % 3 === 2) {
      await addDocument(ctx, { loanId: loan.id, docType: 'contract', fileName: `crash-${tag}.pdf`, base64: TINY_PDF });
      appendFileSync(fd, `doc crash-${tag}.pdf\n`);
    } else {
      await addWorklog(ctx, { borrowerId: loan.borrower_id, loanId: loan.id, entryDate: '2026-01-05', kind: 'call', content: `crash ${tag}` });
      appendFileSync(fd, `log crash ${tag}\n`);
    }
    fsyncSync(fd);
  }
}

export async function benchCrash(trials: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lk-bench-crash-'));
  const ctx = context(root);
  try {
    await createInstitution(ctx, { institution: '崩溃测试小额贷款有限公司', branch: '', dataDir: join(root, 'data'), adminUsername: 'admin', adminName: '管理员', password: PASSWORD, locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    await generateDemoPortfolio(ctx, { borrowers: 20, staffPassword: PASSWORD });
    logout(ctx);
    ctx.close();
    let corrupt = 0;
    let missing = 0;
    let commits = 0;
    const t0 = Date.now();
    for (let t = 0; t < trials; t++) {
      const log = join(root, `trial-${t}.log`);
      writeFileSync(log, '');
      const child = fork(process.argv[1], ['crash-writer', root, log], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(signal ?? `exit ${code}`)));
      await Promise.race([new Promise<void>((ok) => child.once('message', () => ok())), exited.then((how) => Promise.reject(new Error(`the writer stopped before it was ready (${how}): ${stderr}`)))]);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 400));
      child.kill('SIGKILL');
      const how = await exited;
      if (how !== 'SIGKILL') throw new Error(`the writer stopped by itself (${how}): ${stderr}`);
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      commits += lines.length;
      await login(ctx, { username: 'admin', password: PASSWORD });
      const report = await runChecks(ctx);
      if (!report.ok) {
        corrupt++;
        console.log(`  trial ${t}: check failed ${JSON.stringify(report)}`);
      }
      const db = ctx.store!.db;
      for (const line of lines) {
        const [kind, ...rest] = line.split(' ');
        const value = rest.join(' ');
        const found =
          kind === 'doc'
            ? await db.selectFrom('documents').select('id').where('file_name', '=', value).executeTakeFirst()
            : await db.selectFrom('work_log').select('id').where('content', '=', value).executeTakeFirst();
        if (!found) {
          missing++;
          console.log(`  trial ${t}: logged commit missing: ${line}`);
        }
      }
      logout(ctx);
      ctx.close();
    }
    console.log(`crash trials: ${trials} writers killed with SIGKILL at random moments (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    console.log(`  commits logged by the writers: ${commits}`);
    console.log(`  corruptions found by check: ${corrupt} (target 0) ${corrupt === 0 ? 'OK' : 'OVER TARGET'}`);
    console.log(`  logged commits missing from the store: ${missing} (target 0) ${missing === 0 ? 'OK' : 'OVER TARGET'}`);
  } finally {
    ctx.close();
    rmSync(root, { recursive: true, force: true });
  }
}
