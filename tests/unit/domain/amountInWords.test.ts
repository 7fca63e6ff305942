import { describe, expect, it } from 'vitest';
import { amountInWords } from '../../../src/shared/domain';

describe('amountInWords', () => {
  it.each([
    // From the brief and the 《正确填写票据和结算凭证的基本规定》 examples
    [0, '人民币零元整'],
    [6, '人民币陆分'],
    [60, '人民币陆角整'],
    [56, '人民币伍角陆分'],
    [100, '人民币壹元整'],
    [150, '人民币壹元伍角整'],
    [105, '人民币壹元零伍分'],
    [156, '人民币壹元伍角陆分'],
    [1000, '人民币壹拾元整'],
    [1010, '人民币壹拾元壹角整'],
    [1005, '人民币壹拾元零伍分'],
    [1500, '人民币壹拾伍元整'],
    [1900, '人民币壹拾玖元整'],
    [11000, '人民币壹佰壹拾元整'],
    [10100, '人民币壹佰零壹元整'],
    [107000, '人民币壹仟零柒拾元整'],
    [100100, '人民币壹仟零壹元整'],
    [168032, '人民币壹仟陆佰捌拾元叁角贰分'],
    [1000000, '人民币壹万元整'],
    [1001000, '人民币壹万零壹拾元整'],
    [1100000, '人民币壹万壹仟元整'],
    [1200000, '人民币壹万贰仟元整'],
    [10700053, '人民币壹拾万零柒仟元伍角叁分'],
    [10000100, '人民币壹拾万零壹元整'],
    [11000000, '人民币壹拾壹万元整'],
    [100000000, '人民币壹佰万元整'],
    [100050000, '人民币壹佰万零伍佰元整'],
    [100000105, '人民币壹佰万零壹元零伍分'],
    [100001000, '人民币壹佰万零壹拾元整'],
    [1000000000, '人民币壹仟万元整'],
    [123456789, '人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
  ])('%d fen → %s', (fen, words) => {
    expect(amountInWords(fen)).toBe(words);
  });

  it.each([
    [10000000000, '人民币壹亿元整'],
    [11000000000, '人民币壹亿壹仟万元整'],
    [21000000000, '人民币贰亿壹仟万元整'],
    [10001000000, '人民币壹亿零壹万元整'],
    [10000100000, '人民币壹亿零壹仟元整'],
    [10000000001, '人民币壹亿元零壹分'],
    [100000000000, '人民币壹拾亿元整'],
    [1234567890123, '人民币壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分'],
    [100000000000000, '人民币壹万亿元整'],
    [100010000000000, '人民币壹万零壹亿元整'],
    [100000000000100, '人民币壹万亿零壹元整'],
    [Number.MAX_SAFE_INTEGER, '人民币玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
  ])('亿 and above: %d fen → %s', (fen, words) => {
    expect(amountInWords(fen)).toBe(words);
  });

  it.each([-1, -100, 1.5, Number.NaN, Infinity])('throws RangeError for %s', (fen) => {
    expect(() => amountInWords(fen)).toThrow(RangeError);
  });

  it('keeps the rules over many amounts', () => {
    const samples: number[] = [];
    for (let f = 1; f <= 20000; f++) samples.push(f);
    for (let f = 1; f < 1e15; f = Math.floor(f * 1.37) + 7) samples.push(f, f * 10, f + 100000000);
    for (const fen of samples) {
      const words = amountInWords(fen);
      expect(words.startsWith('人民币')).toBe(true);
      expect(words).not.toMatch(/零零|分整|零元|零角|零整|元$|^人民币[拾佰仟万亿零]|零[万亿元]/);
      expect(words).toMatch(/[整分]$/);
      expect(words.endsWith('整')).toBe(fen % 10 === 0);
      expect(words.includes('分')).toBe(fen % 10 !== 0);
      // A 角 digit of 0 with 分 present and a yuan part means 元零X分.
      if (fen >= 100 && Math.floor(fen / 10) % 10 === 0 && fen % 10 !== 0) expect(words).toMatch(/元零[壹贰叁肆伍陆柒捌玖]分$/);
    }
  });

  it('writes each digit of the integer part exactly once in order', () => {
    const toDigit: Record<string, string> = { 壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9' };
    for (const fen of [123456789, 987654321012, 40302010000, 1234567890123]) {
      const nonzero = String(fen).replaceAll('0', '');
      const written = [...amountInWords(fen)].map((ch) => toDigit[ch] ?? '').join('');
      expect(written).toBe(nonzero);
    }
  });
});
