import { z } from 'zod';

/** Field schemas shared by channels. Limits keep oversized input out of main. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) => z.string().trim().max(max);
export const username = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/);
export const password = z.string().min(8).max(128);
/** A password typed at login: checked for length only, never for strength. */
export const anyPassword = z.string().min(1).max(128);
export const locale = z.enum(['zh-CN', 'en']);
export const empty = z.object({}).strict();
