import { on } from './kernel/events';
import { planMissing, planSpecials, replanLoans } from './features/inspections/inspections';
import { detectWarnings, raiseLostContact, raiseDilution, raiseMisdirectedPayment } from './features/warnings/warnings';

/**
 * Which feature reacts to what another announces (`kernel/events.ts`), in one place. Imported once by every
 * entry point that handles calls or runs the batch (the channel table, the command line, the benches), before
 * the first call. Reactions to one event run in the order listed here.
 */

// A new class or customer tier changes how often a loan is inspected.
on('loans.classChanged', ({ ctx, db, loanIds }) => replanLoans(ctx, db, loanIds));
on('borrowers.tierChanged', ({ ctx, db, loanIds }) => replanLoans(ctx, db, loanIds));

// After the daily batch: loans without an inspection plan get one, then the automatic warning signals are raised.
on('batch.statusesStored', async ({ ctx, store }) => {
  await planMissing(ctx, store);
});
on('batch.statusesStored', async ({ ctx, store, asOf, actor }) => {
  await detectWarnings(ctx, store, asOf, actor);
});

// Collection contacts that meet 3-3-3 raise the 失联 warning on their own.
on('contacts.lostContact', (p) => raiseLostContact(p));

// A factoring debtor's payment that reached the seller instead of the collection account raises its warning.
on('factoring.misdirectedPayment', (p) => raiseMisdirectedPayment(p));
on('factoring.diluted', (p) => raiseDilution(p));

// A serious warning is checked on site within the set working days.
on('warnings.seriousRaised', ({ ctx, db, warnings }) => planSpecials(ctx, db, warnings));
