import { readFileSync, realpathSync, rmSync, statfsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';

/**
 * SQLite's WAL needs shared memory between the processes that open a database, which network file systems
 * do not provide: a data folder on a share corrupts the store as soon as a second PC opens it. So a share
 * is refused, and a lock file names the PC that has the folder open.
 */

/** `\\server\share\…` or `//server/share/…` (also the `\\?\UNC\` long form). */
export function isUncPath(p: string): boolean {
  return /^(\\\\|\/\/)[^\\/]/.test(p) && !/^\\\\\?\\[A-Za-z]:/.test(p);
}

// statfs f_type magic numbers of network file systems (Linux man statfs(2)).
const NETWORK_FS = new Map<number, string>([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x564c, 'NCP'],
  [0x65735546, 'FUSE'],
  [0x7461636f, 'OCFS2'],
  [0x6b414653, 'AFS'],
  [0x5346414f, 'AFS'],
  [0x47504653, 'GPFS'],
  [0x01021997, '9P'],
]);

export function networkFsName(type: number): string | null {
  return NETWORK_FS.get(type >>> 0) ?? null;
}

/**
 * Why `dir` is a network location, or null. On Windows a mapped network drive resolves to its UNC path
 * (the native realpath asks the file system for the final path); elsewhere the file system type tells.
 */
export function networkLocation(dir: string): string | null {
  if (isUncPath(dir)) return dir;
  let real = dir;
  try {
    real = realpathSync.native(dir);
  } catch {
    return null; // a folder that does not exist yet is judged by its path
  }
  if (isUncPath(real)) return real;
  if (process.platform === 'win32') return null;
  try {
    const name = networkFsName(Number(statfsSync(real).type));
    return name ? `${real} (${name})` : null;
  } catch {
    return null;
  }
}

export const LOCK_FILE = 'data.lock';
/** A lock whose heartbeat is older than this was left by a PC that stopped without closing. */
export const LOCK_STALE_MS = 120_000;
const HEARTBEAT_MS = 30_000;

export interface LockInfo {
  host: string;
  pid: number;
  since: string;
  heartbeat: string;
}

export function readLock(dir: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockInfo;
    return typeof v.host === 'string' && typeof v.heartbeat === 'string' ? v : null;
  } catch {
    return null;
  }
}

export interface DataLock {
  release(): void;
}

/**
 * Takes the folder's lock for this PC, or returns the lock of the other PC that holds it. Several processes
 * of one PC (the app and the command line) may share the folder: SQLite serialises them there.
 */
export function acquireDataLock(dir: string, now: () => Date = () => new Date(), host = hostname()): DataLock | { heldBy: LockInfo } {
  const held = readLock(dir);
  if (held && held.host !== host && now().getTime() - Date.parse(held.heartbeat) < LOCK_STALE_MS) return { heldBy: held };
  if (held && held.host === host && held.pid !== process.pid && pidAlive(held.pid)) return { release() {} };
  const since = now().toISOString();
  const write = () => writeFileAtomic(join(dir, LOCK_FILE), JSON.stringify({ host, pid: process.pid, since, heartbeat: now().toISOString() } satisfies LockInfo));
  write();
  const timer = setInterval(() => {
    try {
      write();
    } catch {
      // A pulled drive: the store reports its own errors; the lock simply goes stale.
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      const cur = readLock(dir);
      if (cur && cur.host === host && cur.pid === process.pid) rmSync(join(dir, LOCK_FILE), { force: true });
    },
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
