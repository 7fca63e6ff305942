import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { greyJpeg, scanPage } from '../../src/main/demo/jpeg';

describe('demo scan JPEGs', () => {
  it('are real JPEG files that a decoder reads at the right size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-jpeg-'));
    try {
      const file = join(dir, 'scan.jpg');
      writeFileSync(file, scanPage(7));
      // libjpeg's own decoder reads it back: a greyscale 600 × 848 page.
      const pgm = execFileSync('djpeg', ['-pnm', file]);
      expect(pgm.subarray(0, 15).toString('latin1')).toBe('P5\n600 848\n255\n');
      expect(pgm.length).toBe(15 + 600 * 848);
      const tiny = greyJpeg(1, 1, () => 128);
      expect([...tiny.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect([...tiny.subarray(-2)]).toEqual([0xff, 0xd9]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
