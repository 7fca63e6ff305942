import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addCollateral, addGuarantee } from '../../src/main/features/loans/collateral';
import { getLoan } from '../../src/main/features/loans/loans';
import { cardPdfByLoan } from '../../src/main/features/loans/printing';
import { securityOf } from '../../src/shared/ipc/loans';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const guarantor = { kind: 'person' as const, name: '王保证', idNumber: residentId('11010519750808123'), phone: '13900000000', address: '北京市海淀区中关村大街1号' };
const mortgage = { kind: 'mortgage' as const, type: '房产', description: '朝阳区住宅一套', owner: '张三', registrationAuthority: '不动产登记中心', registrationNo: '京抵2026第1号', valueFen: 50_000_000, valuedOn: '2026-03-01', certificates: [] };

describe('a loan’s security: what the contract says and what is registered', () => {
  it('securityOf joins the contract’s modes with the registered guarantors and collateral; 信用 only when there is none', () => {
    expect(securityOf(['credit'], { guarantors: 0, collateralKinds: [] })).toEqual(['credit']);
    expect(securityOf(['credit'], { guarantors: 1, collateralKinds: ['mortgage'] })).toEqual(['guarantee', 'mortgage']);
    expect(securityOf(['credit', 'guarantee'], { guarantors: 0, collateralKinds: [] })).toEqual(['guarantee']);
    expect(securityOf(['mortgage'], { guarantors: 0, collateralKinds: ['pledge', 'pledge'] })).toEqual(['mortgage', 'pledge']);
  });

  it('a 信用 contract with a mortgage and a guarantor registered has 保证 and 抵押; the contract’s own modes stay 信用', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-03-01T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id, { guaranteeModes: ['credit'] });
    expect(l.security).toEqual(['credit']);

    const withMortgage = await addCollateral(env.ctx, { loanId: l.loan.id, ...mortgage });
    expect(withMortgage.security).toEqual(['mortgage']);
    await addGuarantee(env.ctx, { loanId: l.loan.id, guarantor, guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2027-07-15' });
    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.security).toEqual(['guarantee', 'mortgage']);
    expect(d.loan.guaranteeModes).toEqual(['credit']);

    // The post-loan card prints the contract's terms as the contract has them, and what is registered in its own sections.
    const file = join(env.root, 'card.pdf');
    writeFileSync(file, Buffer.from((await cardPdfByLoan(env.ctx, { loanId: l.loan.id })).base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('担保方式信用');
    expect(text).toContain('王保证');
    expect(text).toContain('朝阳区住宅一套');
  });
});
