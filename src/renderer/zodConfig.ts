import { z } from 'zod';

// Imported first by main.tsx, before any module builds a schema. The CSP forbids eval, so zod's compiled
// fast path can never run here; without this, zod probes `Function('')`, which the browser reports as a CSP
// violation.
z.config({ jitless: true });
