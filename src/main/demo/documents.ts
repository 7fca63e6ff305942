import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { money, zhDate } from '../pdf/common';
import { renderPdf } from '../pdf/render';
import { scanPage } from './jpeg';

export interface DemoDocLoan {
  id: number;
  borrowerId: number;
  contractNo: string;
  borrower: string;
  principalFen: number;
  startDate: string;
  maturityDate: string;
  annualRate: string;
}

/** A short 借款合同 as a real PDF with Chinese text, for the demo archive. */
export async function demoContractPdf(resourcesDir: string, l: DemoDocLoan, institution: string): Promise<Buffer> {
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    content: [
      { text: '借 款 合 同', font: 'Sans', bold: true, fontSize: 20, alignment: 'center', margin: [0, 0, 0, 16] },
      { text: `合同编号：${l.contractNo}`, alignment: 'right', margin: [0, 0, 0, 10] },
      { text: `贷款人（甲方）：${institution}` },
      { text: `借款人（乙方）：${l.borrower}`, margin: [0, 0, 0, 10] },
      { text: `第一条 借款金额：${money(l.principalFen)}。`, margin: [0, 4, 0, 4] },
      { text: `第二条 借款期限：自 ${zhDate(l.startDate)} 起至 ${zhDate(l.maturityDate)} 止。`, margin: [0, 4, 0, 4] },
      { text: `第三条 借款利率：年利率 ${l.annualRate}%，逾期罚息在合同利率基础上加收 50%。`, margin: [0, 4, 0, 4] },
      { text: '第四条 乙方应按还款计划按期足额还款，并接受甲方的贷后检查。', margin: [0, 4, 0, 4] },
      { text: '\n\n甲方（盖章）：______________            乙方（签字）：______________' },
      { text: '（演示数据，非真实合同）', color: '#999', fontSize: 8, margin: [0, 30, 0, 0] },
    ],
  };
  return renderPdf(resourcesDir, doc);
}

/** The scans that come with a demo loan file: IOU and ID copy as JPEG pages. */
export function demoScans(l: DemoDocLoan): { docType: string; fileName: string; bytes: Buffer }[] {
  return [
    { docType: 'iou', fileName: `借据扫描件_${l.contractNo}.jpg`, bytes: scanPage(l.id * 7 + 1) },
    { docType: 'application', fileName: `借款申请书（扫描）_${l.borrower}.jpg`, bytes: scanPage(l.id * 7 + 2) },
  ];
}
