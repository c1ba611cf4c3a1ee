import { Prng } from './prng';

/*
 * Sample data for realistic Japanese orders: common family and given names with their katakana
 * readings, and real prefecture / city / postal-code prefixes. Invented people; plausible shapes.
 */

const FAMILY_NAMES: readonly [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
];

const GIVEN_NAMES: readonly [string, string][] = [
  ['翔太', 'ショウタ'],
  ['陽菜', 'ヒナ'],
  ['大翔', 'ヒロト'],
  ['結衣', 'ユイ'],
  ['蓮', 'レン'],
  ['美咲', 'ミサキ'],
  ['健太', 'ケンタ'],
  ['さくら', 'サクラ'],
  ['拓海', 'タクミ'],
  ['愛', 'アイ'],
  ['誠', 'マコト'],
  ['恵子', 'ケイコ'],
  ['浩二', 'コウジ'],
  ['由美', 'ユミ'],
  ['直樹', 'ナオキ'],
  ['陽子', 'ヨウコ'],
];

/** [prefecture, city, first three digits of its postal codes, phone area code] */
const PLACES: readonly [string, string, string, string][] = [
  ['東京都', '渋谷区', '150', '03'],
  ['東京都', '世田谷区', '154', '03'],
  ['東京都', '八王子市', '192', '042'],
  ['神奈川県', '横浜市港北区', '222', '045'],
  ['神奈川県', '川崎市中原区', '211', '044'],
  ['大阪府', '大阪市北区', '530', '06'],
  ['大阪府', '堺市堺区', '590', '072'],
  ['愛知県', '名古屋市中区', '460', '052'],
  ['北海道', '札幌市中央区', '060', '011'],
  ['福岡県', '福岡市博多区', '812', '092'],
  ['京都府', '京都市左京区', '606', '075'],
  ['兵庫県', '神戸市中央区', '650', '078'],
  ['宮城県', '仙台市青葉区', '980', '022'],
  ['広島県', '広島市中区', '730', '082'],
  ['埼玉県', 'さいたま市大宮区', '330', '048'],
  ['千葉県', '千葉市中央区', '260', '043'],
  ['沖縄県', '那覇市', '900', '098'],
  ['長野県', '松本市', '390', '0263'],
];

const TOWNS = ['本町', '中央', '栄町', '桜丘', '緑町', '旭町', '南町', '東町', '若葉', '青葉台'];
const BUILDINGS = [
  '',
  '',
  '',
  'サンハイツ',
  'グランメゾン',
  'コーポ緑',
  'パークハウス',
  'ライオンズマンション',
];

/** A person with an address, as RMS OrdererModel / SenderModel hold them. */
export interface SimPerson {
  familyName: string;
  firstName: string;
  familyNameKana: string;
  firstNameKana: string;
  zipCode1: string;
  zipCode2: string;
  prefecture: string;
  city: string;
  subAddress: string;
  phoneNumber1: string;
  phoneNumber2: string;
  phoneNumber3: string;
  /** Okinawa counts as a remote island here, to exercise the flag. */
  isolatedIsland: boolean;
}

/** The person a seed stands for; the same seed always gives the same person. */
export function personFromSeed(seed: number): SimPerson {
  const random = new Prng(seed);
  const [familyName, familyNameKana] = random.pick(FAMILY_NAMES);
  const [firstName, firstNameKana] = random.pick(GIVEN_NAMES);
  const [prefecture, city, zip, area] = random.pick(PLACES);
  const building = random.pick(BUILDINGS);
  const subAddress = `${random.pick(TOWNS)}${random.int(1, 5)}-${random.int(1, 30)}-${random.int(1, 20)}${
    building ? ` ${building}${random.int(1, 12)}0${random.int(1, 9)}号室` : ''
  }`;
  const mobile = random.chance(0.6);
  return {
    familyName,
    firstName,
    familyNameKana,
    firstNameKana,
    zipCode1: zip,
    zipCode2: String(random.int(0, 9999)).padStart(4, '0'),
    prefecture,
    city,
    subAddress,
    phoneNumber1: mobile ? random.pick(['090', '080', '070']) : area,
    phoneNumber2: String(random.int(1000, 9999)).slice(0, mobile ? 4 : 6 - area.length),
    phoneNumber3: String(random.int(1000, 9999)),
    isolatedIsland: prefecture === '沖縄県',
  };
}
