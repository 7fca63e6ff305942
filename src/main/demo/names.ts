import { creditCodeCheckChar, residentIdCheckChar } from '../../shared/domain/ids';
import type { Rng } from './random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马上官诸葛';
const COMPOUND = ['欧阳', '司马', '上官', '诸葛'];
// Includes characters outside the common set, as real borrowers' names do: 䶮 (Ext-A), 𠮷 (Ext-B), 堃, 喆, 犇, 赟.
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌辉鹏俊峰宇浩然欣怡梓涵子轩雨桐思远嘉懿睿哲晨曦䶮𠮷堃喆犇赟昇淼鑫焱';
const CITIES = ['福州', '厦门', '泉州', '杭州', '宁波', '苏州', '无锡', '南京', '合肥', '南昌', '长沙', '武汉', '成都', '重庆', '西安', '郑州', '济南', '青岛'];
const WORDS = ['恒信', '鑫源', '华泰', '金桥', '瑞丰', '永盛', '宏达', '锦程', '天成', '盛世', '海润', '嘉禾', '中联', '新宇', '汇通', '东方', '润泽', '鼎盛'];
const INDUSTRIES: [string, string][] = [
  ['商贸', '批发和零售业'],
  ['建材', '批发和零售业'],
  ['机械制造', '制造业'],
  ['纺织', '制造业'],
  ['食品', '制造业'],
  ['物流', '交通运输、仓储和邮政业'],
  ['建筑工程', '建筑业'],
  ['电子科技', '信息传输、软件和信息技术服务业'],
  ['农业开发', '农、林、牧、渔业'],
  ['餐饮管理', '住宿和餐饮业'],
];
const REGIONS = ['110105', '310101', '330106', '350102', '350203', '320102', '440304', '510107', '420106', '610113', '370102', '500103'];
const STREETS = ['人民路', '解放路', '中山路', '建设路', '和平街', '新华路', '五一路', '胜利街'];
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function personName(rng: Rng): string {
  const surname = rng.chance(0.03) ? rng.pick(COMPOUND) : rng.pick([...SURNAMES.replace(/欧阳|司马|上官|诸葛/g, '')]);
  const given = [...GIVEN];
  return surname + rng.pick(given) + (rng.chance(0.7) ? rng.pick(given) : '');
}

export function residentId(rng: Rng, seq: number): string {
  const birth = `${rng.int(1960, 2000)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
  const first17 = rng.pick(REGIONS) + birth + String(seq % 1000).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

export function enterprise(rng: Rng, seq: number): { name: string; code: string; industry: string } {
  const [trade, industry] = rng.pick(INDUSTRIES);
  const name = `${rng.pick(CITIES)}${rng.pick(WORDS)}${rng.pick(WORDS)}${trade}有限公司`;
  let org = '';
  for (let i = 0; i < 8; i++) org += CODE_CHARS[rng.int(0, CODE_CHARS.length - 1)];
  const first17 = `91${rng.pick(REGIONS)}${org}${CODE_CHARS[seq % 31]}`;
  return { name, code: first17 + creditCodeCheckChar(first17), industry };
}

export function address(rng: Rng): string {
  return `${rng.pick(CITIES)}市${rng.pick(STREETS)}${rng.int(1, 999)}号`;
}

export function phone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}
