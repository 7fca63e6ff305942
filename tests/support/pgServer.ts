// The throwaway cluster lives beside the branch server's code, so that the bench can start one too.
export { findBinDir, startPgServer, type PgServer } from '../../src/main/db/pg/scratchServer';

/** A server's address as a PC's join form takes it (without the password) and the database password typed beside it. */
export function joinDetails(serverUrl: string): { url: string; dbPassword: string } {
  const u = new URL(serverUrl);
  const dbPassword = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), dbPassword };
}
