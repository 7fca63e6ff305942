import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cmdBackup, cmdCheck, cmdDemo, cmdInit, cmdLoans, cmdRender, cmdExportArchive, cmdReanchorAudit, cmdRotateKeys, cmdRestore, cmdVerifyBackup, cmdVerifyExport, cmdMoveToServer, describeError, type Flags } from './cli/commands';
import { CliError } from './cli/io';
import { cmdQuote } from './cli/quote';
import { assertNode22 } from './nodePaths';
import { cmdReport } from './features/managementReports/cli';
import { authenticated } from './cli/commands';
import { usePdfWorker } from './pdf/offThread';

// `npm run cli -- <command>`: the same services as the app, without Electron.
const USAGE = `用法 (usage): npm run cli -- <command> [options]
  init    --data-dir D --institution N [--branch B] --admin U [--admin-name 姓名] --password-file F
  check   --data-dir D --user U --password-file F [--backup FILE[,FILE…]]   (backups: is their audit head still in the chain?)
  reanchor-audit --data-dir D --user U --password-file F --reason TEXT   (after a deliberate restore of an older copy)
  reanchor-audit --database URL --head-dir APP --user U --password-file F --reason TEXT
          (the branch server: each PC keeps its own witness of the audit head, in its app folder APP; check --head-dir APP reads it)
  backup  --data-dir D --user U --password-file F --to FILE
          (on the branch server, --database: pg_dump sealed with the branch's key, restored into a scratch database and compared)
  rotate-keys --data-dir D --user admin --password-file F [--reset-legacy-users] [--recovery-pdf FILE]
          (a new data key: database, document files, every user, and a new recovery key on stdout; resumes after a crash;
          with --database, every other PC must close the app first, and all sign in again afterwards)
  verify-backup --file BACKUP (--data-dir D | --database URL) --user U --password-file F [--recovery-key-file K]
  restore --file BACKUP --data-dir D --user U --password-file F [--recovery-key-file K]
  restore --file BACKUP --database URL --user ADMIN --password-file F [--safety-dir DIR]
          (the branch server: every other PC must close the app; the server as it was is kept in DIR, default the current folder)
          (an administrator of the backup; close the app first; the current data is kept in D/backups first;
          K: the recovery key of the installation that made the backup, when it is not this one)
  demo    --data-dir D --user admin --password-file F --borrowers N   (an administrator's command; demo staff get the same password)
  loans   --data-dir D --user U --password-file F [--json]
  render  --data-dir D --user U --password-file F --doc <card|reminder|overdue-notice|guarantor-notice|demand-letter|
          assignment-notice|debtor-collection|certificate-return|acceleration-notice|extension-application|extension-agreement> --loan <no[,no…]> --out F.pdf
  export-archive --data-dir D --user U --password-file F --loans <no,no,…> --to FILE.zip [--export-password-file P] [--slip SLIP.pdf]
                 (without --export-password-file a strong password is generated and printed once; --slip writes the password slip)
  verify-export  --file FILE.zip --password-file P     (needs no store: runs on any machine)
  report  --data-dir D --user U --password-file F --name kpis --as-of YYYY-MM-DD [--json] [--xlsx FILE] [--pdf FILE]
          (KPIs from the date's snapshot, else computed without storing; --xlsx/--pdf: the monthly report)
  quote   --data-dir D --user U --password-file F --loan NO --date YYYY-MM-DD [--json] [--pdf FILE]
          (提前结清测算: early settlement on that date; --pdf writes the 提前结清测算单)
  move-to-server --data-dir D --database URL --user admin --password-file F [--ca CA.pem]
          (copies this store onto an EMPTY branch database, documents and audit trail included, then verifies it;
          the data folder is left unchanged)
--database postgresql://user@host:port/db works instead of --data-dir for init, check (with --backup: sealed server backups), reanchor-audit,
          backup, verify-backup, restore, rotate-keys, demo, loans, render, export-archive, report, quote.
          The database password: in the address, else from PGPASSWORD; it is never printed. --ca: the server's CA.
Passwords are read from --password-file (first line) or typed at a prompt, never from the command line.`;

const COMMANDS: Record<string, (flags: Flags) => Promise<void>> = { init: cmdInit, check: cmdCheck, 'reanchor-audit': cmdReanchorAudit, 'rotate-keys': cmdRotateKeys, backup: cmdBackup, 'verify-backup': cmdVerifyBackup, restore: cmdRestore, demo: cmdDemo, loans: cmdLoans, render: cmdRender, 'export-archive': cmdExportArchive, 'verify-export': cmdVerifyExport, report: (flags) => cmdReport(flags, authenticated), quote: cmdQuote, 'move-to-server': cmdMoveToServer };

assertNode22();
// export-archive renders its cards and ledgers on the PDF worker, as the app does (its bundle sits next to this one).
usePdfWorker(join(dirname(fileURLToPath(import.meta.url)), 'pdfWorker.mjs'));
// Piped into `head` and the like: a closed pipe is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const [command, ...rest] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(command ? 2 : 0);
}
try {
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      json: { type: 'boolean' as const },
      'reset-legacy-users': { type: 'boolean' as const },
      ...Object.fromEntries(
        ['data-dir', 'institution', 'branch', 'admin', 'admin-name', 'password-file', 'user', 'to', 'borrowers', 'doc', 'loan', 'out', 'loans', 'export-password-file', 'file', 'backup', 'reason', 'slip', 'recovery-pdf', 'recovery-key-file', 'database', 'ca', 'name', 'as-of', 'xlsx', 'pdf', 'date'].map((k) => [k, { type: 'string' as const }]),
      ),
    },
  });
  await run(values);
} catch (e) {
  process.stderr.write(`错误：${describeError(e)}\n`);
  process.exit(e instanceof CliError ? e.exitCode : 1);
}
