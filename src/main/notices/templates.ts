/** Built-in wording of every printed notice; the risk officer may replace any block, these are the fallback. */
export const NOTICE_TYPES = [
  'reminder',
  'overdue-notice',
  'guarantor-notice',
  'demand-letter',
  'assignment-notice',
  'debtor-collection',
  'certificate-return',
  'acceleration-notice',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export type Addressee = 'borrower' | 'guarantor' | 'debtor';

export interface TemplateBlocks {
  title: string;
  body: string;
  consequences: string;
  receipt: string;
}

export interface NoticeSpec {
  addressee: Addressee;
  receipt: boolean;
  prefix: string;
  blocks: TemplateBlocks;
}

const RECEIPT_DEBT =
  '本人/本单位已于上述日期收到贵单位编号为 {{serial}} 的《{{title}}》，确认截至 {{asOf}}，合同编号 {{contractNo}} 项下尚欠贵单位借款本金 {{principal}}、利息 {{interest}}、罚息 {{penalty}}，合计 {{total}}，对上述债务及金额无异议。';

export const BUILT_IN: Record<NoticeType, NoticeSpec> = {
  reminder: {
    addressee: 'borrower',
    receipt: false,
    prefix: 'TS',
    blocks: {
      title: '还款提示通知书',
      body: '{{addressee}}：\n您与我单位于 {{contractDate}} 签订的借款合同（编号 {{contractNo}}）项下，第 {{period}} 期还款将于 {{payBy}} 到期，应还款项如下。请在到期日前将款项足额存入还款账户，以免产生逾期罚息并影响您的信用记录。',
      consequences: '逾期未还的，我单位将按合同约定自逾期之日起按罚息利率计收罚息，并将逾期信息报送征信系统。',
      receipt: '',
    },
  },
  'overdue-notice': {
    addressee: 'borrower',
    receipt: true,
    prefix: 'CS',
    blocks: {
      title: '逾期催收通知书',
      body: '{{addressee}}：\n您与我单位于 {{contractDate}} 签订的借款合同（编号 {{contractNo}}）项下借款已逾期 {{dpd}} 天。截至 {{asOf}}，您尚欠下列款项。{{stageText}}请于 {{payBy}} 前归还全部欠款。',
      consequences: '逾期期间罚息按日累计。逾期不还的，我单位有权宣布贷款提前到期、要求保证人承担保证责任、处置抵质押物，并依法提起诉讼，由此产生的诉讼费、律师费等费用由您承担。',
      receipt: RECEIPT_DEBT,
    },
  },
  'guarantor-notice': {
    addressee: 'guarantor',
    receipt: true,
    prefix: 'DB',
    blocks: {
      title: '担保人履行保证责任通知书',
      body: '{{addressee}}：\n您为借款人 {{borrower}} 在借款合同（编号 {{contractNo}}，签订日期 {{contractDate}}）项下的债务提供{{guaranteeType}}，担保金额 {{guaranteeAmount}}。借款人已逾期 {{dpd}} 天，截至 {{asOf}} 尚欠下列款项。根据保证合同约定，请您于 {{payBy}} 前在保证范围内履行保证责任，代为清偿上述债务。',
      consequences: '您未按期履行保证责任的，我单位将依法向您追偿，并保留向人民法院提起诉讼的权利。',
      receipt: '本人/本单位已于上述日期收到贵单位编号为 {{serial}} 的《{{title}}》，确认为借款合同编号 {{contractNo}} 项下债务提供保证，知悉借款人截至 {{asOf}} 尚欠本金 {{principal}}、利息 {{interest}}、罚息 {{penalty}}，合计 {{total}}。',
    },
  },
  'demand-letter': {
    addressee: 'borrower',
    receipt: true,
    prefix: 'CG',
    blocks: {
      title: '催告函',
      body: '{{addressee}}：\n贵方与我单位于 {{contractDate}} 签订借款合同（编号 {{contractNo}}），我单位已依约发放贷款。贵方逾期 {{dpd}} 天未履行还款义务，经多次催收仍未清偿。截至 {{asOf}}，贵方尚欠下列款项。现正式催告：请贵方于 {{payBy}} 前清偿全部欠款。',
      consequences: '逾期仍不履行的，我单位将不再另行通知，依法向有管辖权的人民法院提起诉讼，并申请财产保全，要求贵方承担全部欠款及逾期罚息、诉讼费、保全费、律师费等实现债权的费用。本函同时构成对诉讼时效的主张。',
      receipt: RECEIPT_DEBT,
    },
  },
  'assignment-notice': {
    addressee: 'debtor',
    receipt: true,
    prefix: 'ZR',
    blocks: {
      title: '应收账款转让通知书',
      body: '{{addressee}}：\n{{borrower}}（以下简称“转让人”）已将其对贵方享有的下列应收账款及其全部附属权利转让给我单位：{{receivables}}。自贵方收到本通知之日起，请将上述应收账款直接支付至我单位指定的回款账户（开户行：{{collectionAccountBank}}；户名：{{collectionAccountName}}；账号：{{collectionAccountNo}}），向转让人的付款不再对我单位发生清偿效力。',
      consequences: '贵方如对上述应收账款存在任何抗辩、抵销或争议，请于收到本通知之日起 7 日内书面告知我单位。',
      receipt: '本单位已于上述日期收到编号为 {{serial}} 的《{{title}}》，确认上述应收账款真实、合法、有效，金额合计 {{receivablesTotal}}，知悉其已转让给贵单位，并将按通知向贵单位付款。',
    },
  },
  'debtor-collection': {
    addressee: 'debtor',
    receipt: true,
    prefix: 'YS',
    blocks: {
      title: '应收账款催收函',
      body: '{{addressee}}：\n我单位已受让 {{borrower}} 对贵方的应收账款（{{receivables}}），并已向贵方送达转让通知。截至 {{asOf}}，贵方尚未支付 {{receivablesOpen}}，其中已到期 {{receivablesDue}}。请于 {{payBy}} 前将已到期款项支付至我单位指定的回款账户（开户行：{{collectionAccountBank}}；户名：{{collectionAccountName}}；账号：{{collectionAccountNo}}），未到期款项请于各自到期日支付。向转让人的付款不能免除贵方的付款义务。',
      consequences: '逾期未付的，我单位将依法向贵方追索，由此产生的费用由贵方承担。',
      receipt: '本单位已于上述日期收到编号为 {{serial}} 的《{{title}}》，确认截至 {{asOf}} 尚欠上述应收账款 {{receivablesOpen}}。',
    },
  },
  'certificate-return': {
    addressee: 'borrower',
    receipt: true,
    prefix: 'QZ',
    blocks: {
      title: '权证退还签收单',
      body: '{{addressee}}：\n您在借款合同（编号 {{contractNo}}）项下的借款已于 {{closedOn}} 全部结清。我单位现将保管的下列权证退还给您：\n{{certificates}}',
      consequences: '请当面清点核对，确认无误后签收。权证退还后，请及时到登记机关办理抵押/质押注销登记。',
      receipt: '本人/本单位已于上述日期当面签收编号为 {{serial}} 的《{{title}}》所列全部权证原件，核对无误。',
    },
  },
  'acceleration-notice': {
    addressee: 'borrower',
    receipt: true,
    prefix: 'TQ',
    blocks: {
      title: '贷款提前到期通知书',
      body: '{{addressee}}：\n您与我单位于 {{contractDate}} 签订的借款合同（编号 {{contractNo}}）项下，您发生了下列违约事由：{{grounds}}。根据借款合同的约定，我单位宣布上述借款于 {{acceleratedOn}} 全部提前到期。截至 {{asOf}}，您尚欠下列款项，请于 {{payBy}} 前全部归还。',
      consequences: '自提前到期之日起，未还本金按罚息利率计收罚息。逾期不还的，我单位将依法要求保证人承担保证责任、处置抵质押物并提起诉讼，由此产生的诉讼费、保全费、律师费等费用由您承担。',
      receipt: RECEIPT_DEBT,
    },
  },
};

export const STAGE_TEXT: Record<'M1' | 'M2' | 'M3+', string> = {
  M1: '请您尽快安排还款。',
  M2: '此前我单位已向您提示还款，您仍未归还，现再次正式催收。',
  'M3+': '您的借款已严重逾期，此为最后催收通知。',
};

/** Fills {{name}} placeholders; an unknown placeholder stays visible so a wrong template is noticed. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
}
