import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../passwords';

/** Field schemas shared by channels. Limits keep oversized input out of main. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) => z.string().trim().max(max);
export const username = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/);
/** A new password: the length part of the password rule (shared/passwords.ts); main checks the rest. */
export const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
/** A password typed at login: checked for length only, never for strength. */
export const anyPassword = z.string().min(1).max(128);
export const locale = z.enum(['zh-CN', 'en']);
export const empty = z.object({}).strict();

/** The issue's message is a catalogue key; main words it in the user's language. */
export const msg = (key: string) => ({ error: key });

/**
 * An approve/reject decision on another's proposal: the comment may be left empty when approving, and is
 * required when rejecting (the proposer is told why).
 */
export function decision<T extends z.ZodRawShape>(shape: T, commentMax: number) {
  return z
    .object({ ...shape, approve: z.boolean(), comment: z.string().trim().max(commentMax) })
    .strict()
    .superRefine((v, ctx) => {
      const d = v as { approve: boolean; comment: string };
      if (!d.approve && d.comment.length === 0) ctx.addIssue({ code: 'custom', path: ['comment'], message: 'validation.rejectComment' });
    });
}

/** A filter's date range, either end optional: the end may not come before the start. */
export function datesInOrder(v: { from?: string | null; to?: string | null }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'validation.dateRange' });
}

/**
 * The largest upload the settings allow (attachmentMaxMb's top), in MB of 1,048,576 bytes, and a file's
 * base64 as a channel carries it: up to that size. Main checks the setting's own, lower, limit on the bytes;
 * an empty file passes here so that main can refuse it by name.
 */
export const UPLOAD_MB_MAX = 100;
export const fileBase64 = z
  .string()
  .max(Math.ceil((UPLOAD_MB_MAX * 1024 * 1024) / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*=*$/);

export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Money crosses the boundary as integer fen; a fraction of a fen is refused, never rounded. */
export const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const fenOrZero = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, msg('validation.date'))
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day && y >= 1900 && y <= 2200;
  }, msg('validation.date'));
/** Annual rate in per cent as written in the contract: above 0, at most 36, up to 4 decimals. */
export const annualRate = z
  .string()
  .trim()
  .regex(/^\d{1,2}(\.\d{1,4})?$/, msg('validation.rate'))
  .refine((r) => Number(r) > 0 && Number(r) <= 36, msg('validation.rate'));
/** Penalty uplift over the contract rate, 30–50 %, as a decimal fraction. */
export const penaltyUplift = z
  .string()
  .trim()
  .regex(/^0\.\d{1,4}$/, msg('validation.uplift'))
  .refine((u) => Number(u) >= 0.3 && Number(u) <= 0.5, msg('validation.uplift'));
export const pageArgs = { limit: z.number().int().min(1).max(1000), offset: z.number().int().min(0).max(10_000_000) };
