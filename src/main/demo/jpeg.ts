/**
 * A tiny baseline JPEG encoder for demo "scans": grey pages whose 8×8 blocks are flat (DC only), enough to
 * draw a paper sheet with lines of "text". Real JPEG files that every viewer opens; no image library needed.
 */

// Standard luminance DC Huffman table (ITU T.81, Annex K.3).
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

function huffCodes(bits: number[], vals: number[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) out.set(vals[k++], [code++, len]);
    code <<= 1;
  }
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0);
    this.acc = 0;
    this.n = 0;
  }
  finish(): number[] {
    while (this.n !== 0) this.put(1, 1);
    return this.bytes;
  }
}

function segment(marker: number, body: number[]): number[] {
  const len = body.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...body];
}

/** `shade(bx, by)` gives the grey level (0–255) of block column bx, row by. */
export function greyJpeg(widthBlocks: number, heightBlocks: number, shade: (bx: number, by: number) => number): Buffer {
  const w = widthBlocks * 8;
  const h = heightBlocks * 8;
  const dc = huffCodes(DC_BITS, DC_VALS);
  const out: number[] = [0xff, 0xd8];
  out.push(...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  out.push(...segment(0xdb, [0, ...Array.from({ length: 64 }, () => 8)]));
  out.push(...segment(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0]));
  out.push(...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALS]));
  // AC table with a single symbol, end-of-block (0x00), coded as '0'.
  out.push(...segment(0xc4, [0x10, 1, ...Array.from({ length: 15 }, () => 0), 0x00]));
  out.push(...segment(0xda, [1, 1, 0x00, 0, 63, 0]));
  const bw = new BitWriter();
  let prev = 0;
  for (let by = 0; by < heightBlocks; by++) {
    for (let bx = 0; bx < widthBlocks; bx++) {
      // DC coefficient of a flat block is 8·(v − 128); quantised by 8 it is v − 128.
      const q = Math.max(0, Math.min(255, Math.round(shade(bx, by)))) - 128;
      const diff = q - prev;
      prev = q;
      const mag = Math.abs(diff);
      const size = mag === 0 ? 0 : Math.floor(Math.log2(mag)) + 1;
      const [code, len] = dc.get(size)!;
      bw.put(code, len);
      if (size > 0) bw.put(diff > 0 ? diff : diff + (1 << size) - 1, size);
      bw.put(0, 1);
    }
  }
  out.push(...bw.finish(), 0xff, 0xd9);
  return Buffer.from(out);
}

/** A scanned A4-ish page: off-white paper, a dark title bar, lines of text, a red-ish seal area. */
export function scanPage(seed: number): Buffer {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  const lines = Array.from({ length: 40 }, () => 20 + Math.floor(rnd() * 50));
  return greyJpeg(75, 106, (bx, by) => {
    if (bx < 5 || bx > 69 || by < 6 || by > 99) return 238 + ((bx * 7 + by * 13) % 5);
    if (by >= 8 && by <= 10 && bx > 20 && bx < 55) return 60;
    if (by >= 14 && by % 2 === 0 && by < 94) {
      const line = lines[(by / 2) % lines.length];
      if (bx < 8 + line && (bx + by) % 9 !== 0) return 90 + ((bx * 31 + by * 17) % 40);
    }
    if (by > 84 && by < 94 && bx > 52 && bx < 64) return 150;
    return 244;
  });
}
