// The throwaway cluster lives beside the branch server's code, so that the bench can start one too.
export { findBinDir, startPgServer, type PgServer } from '../../src/main/db/pg/scratchServer';
