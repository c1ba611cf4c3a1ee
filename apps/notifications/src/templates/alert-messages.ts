import type { NotificationKind, NotificationLanguage } from '@smartship/contracts';

/**
 * The words of every alert, per kind and language. Written for people: Korean sellers selling on
 * Rakuten Ichiba are the main users, so Rakuten's own Japanese names (RMS, WEB APIサービス) stay
 * as Rakuten shows them. Every sentence must read well with any detail missing: producers fill
 * `details` per kind, and an older producer may leave a field out.
 */

/** The facts an alert may carry (shop.alert and tenant.alert details together). */
export interface AlertFacts {
  daysLeft?: number | null;
  expiresAt?: string | null;
  orderNumbers?: string[] | null;
  deadlineAt?: string | null;
  operation?: string | null;
  errorCode?: string | null;
  count?: number | null;
  since?: string | null;
  thresholdMinutes?: number | null;
  fileName?: string | null;
  rowsTotal?: number | null;
  rowsFailed?: number | null;
  email?: string | null;
  failures?: number | null;
  lockedUntil?: string | null;
}

export interface AlertText {
  title: string;
  message: string;
}

type Kind = NotificationKind | 'test';
type Lang = NotificationLanguage;

/** What a template gets: the shop's display name (or a stand-in) and the facts. */
interface Context {
  shop: string;
  facts: AlertFacts;
  lang: Lang;
}

const LOCALE: Record<Lang, string> = { ko: 'ko-KR', ja: 'ja-JP', en: 'en-GB' };

/** A date and time in Japan time, in the reader's language: "2026년 3월 14일 23:59". */
export function formatJst(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
  return `${text} (JST)`;
}

/** "123, 456 외 3건" — at most three order numbers, then how many more. */
function orderList(numbers: string[] | null | undefined, lang: Lang): string | null {
  if (!numbers || numbers.length === 0) return null;
  const shown = numbers.slice(0, 3).join(', ');
  const more = numbers.length - 3;
  if (more <= 0) return shown;
  return {
    ko: `${shown} 외 ${more}건`,
    ja: `${shown} ほか${more}件`,
    en: `${shown} and ${more} more`,
  }[lang];
}

function count(
  n: number | null | undefined,
  lang: Lang,
  unit: { ko: string; ja: string; en: [string, string] },
): string {
  if (n === null || n === undefined)
    return { ko: `여러 ${unit.ko}`, ja: `複数の${unit.ja}`, en: `several ${unit.en[1]}` }[lang];
  return {
    ko: `${unit.ko} ${n}건`,
    ja: `${unit.ja}${n}件`,
    en: `${n} ${n === 1 ? unit.en[0] : unit.en[1]}`,
  }[lang];
}

function when(iso: string | null | undefined, lang: Lang): string | null {
  return iso ? formatJst(iso, lang) : null;
}

type Template = (c: Context) => AlertText;

const TEMPLATES: Record<Kind, Record<Lang, Template>> = {
  license_expiring: {
    ko: ({ shop, facts, lang }) => {
      const days = facts.daysLeft;
      const expires = when(facts.expiresAt, lang);
      return {
        title:
          days != null
            ? `${shop}: 라이선스 키가 ${days}일 후 만료됩니다`
            : `${shop}: 라이선스 키가 곧 만료됩니다`,
        message:
          `${shop} 샵의 Rakuten RMS 라이선스 키가 ${expires ? `${expires}에 ` : '곧 '}만료됩니다` +
          `${days != null ? ` (${days}일 남음)` : ''}. 만료되면 주문 수집과 발송 보고가 멈춥니다. ` +
          'RMS > WEB APIサービス에서 새 라이선스 키를 발급받아 스마트십에 등록해 주세요.',
      };
    },
    ja: ({ shop, facts, lang }) => {
      const days = facts.daysLeft;
      const expires = when(facts.expiresAt, lang);
      return {
        title:
          days != null
            ? `${shop}：ライセンスキーの有効期限まであと${days}日です`
            : `${shop}：ライセンスキーの有効期限が近づいています`,
        message:
          `${shop}のRMSライセンスキーは${expires ? `${expires}に` : 'まもなく'}有効期限が切れます` +
          `${days != null ? `（残り${days}日）` : ''}。期限が切れると、受注の取り込みと発送報告が止まります。` +
          'RMS > WEB APIサービスで新しいライセンスキーを発行し、Smartshipに登録してください。',
      };
    },
    en: ({ shop, facts, lang }) => {
      const days = facts.daysLeft;
      const expires = when(facts.expiresAt, lang);
      return {
        title:
          days != null
            ? `${shop}: licence key expires in ${days} ${days === 1 ? 'day' : 'days'}`
            : `${shop}: licence key expires soon`,
        message:
          `The Rakuten RMS licence key of ${shop} expires ${expires ? `on ${expires}` : 'soon'}` +
          `${days != null ? ` (${days} ${days === 1 ? 'day' : 'days'} left)` : ''}. When it expires, ` +
          'order pulls and shipping reports stop. Issue a new licence key in RMS > WEB APIサービス and enter it in Smartship.',
      };
    },
  },
  license_expired: {
    ko: ({ shop, facts, lang }) => ({
      title: `${shop}: 라이선스 키가 만료되었습니다`,
      message:
        `${shop} 샵의 RMS 라이선스 키가 만료되어${facts.expiresAt ? `(${when(facts.expiresAt, lang)})` : ''} ` +
        '주문 수집과 발송 보고가 멈췄습니다. RMS에서 새 라이선스 키를 발급받아 스마트십에 등록하면 바로 다시 시작됩니다.',
    }),
    ja: ({ shop, facts, lang }) => ({
      title: `${shop}：ライセンスキーの有効期限が切れました`,
      message:
        `${shop}のRMSライセンスキーの有効期限が切れたため${facts.expiresAt ? `（${when(facts.expiresAt, lang)}）` : ''}、` +
        '受注の取り込みと発送報告が止まっています。RMSで新しいライセンスキーを発行してSmartshipに登録すると、すぐに再開します。',
    }),
    en: ({ shop, facts, lang }) => ({
      title: `${shop}: licence key has expired`,
      message:
        `The RMS licence key of ${shop} has expired${facts.expiresAt ? ` (${when(facts.expiresAt, lang)})` : ''}, ` +
        'so order pulls and shipping reports have stopped. Issue a new licence key in RMS and enter it in Smartship; work resumes at once.',
    }),
  },
  auth_failed: {
    ko: ({ shop, facts }) => ({
      title: `${shop}: Rakuten이 API 키를 거부했습니다`,
      message:
        `Rakuten이 ${shop} 샵의 API 키(serviceSecret, licenseKey)를 거부했습니다` +
        `${facts.errorCode ? ` (오류 코드 ${facts.errorCode})` : ''}. 새 키를 등록할 때까지 이 샵의 주문 수집이 멈춥니다. ` +
        'RMS > WEB APIサービス에서 키를 확인한 뒤 스마트십에서 키를 갱신해 주세요.',
    }),
    ja: ({ shop, facts }) => ({
      title: `${shop}：楽天がAPIキーを拒否しました`,
      message:
        `楽天が${shop}のAPIキー（serviceSecret・licenseKey）を拒否しました` +
        `${facts.errorCode ? `（エラーコード ${facts.errorCode}）` : ''}。新しいキーを登録するまで、このショップの受注取り込みは止まります。` +
        'RMS > WEB APIサービスでキーを確認し、Smartshipでキーを更新してください。',
    }),
    en: ({ shop, facts }) => ({
      title: `${shop}: Rakuten refused the API keys`,
      message:
        `Rakuten refused the API keys (serviceSecret, licenseKey) of ${shop}` +
        `${facts.errorCode ? ` (error code ${facts.errorCode})` : ''}. Order pulls for this shop are paused until new keys are entered. ` +
        'Check the keys in RMS > WEB APIサービス, then renew them in Smartship.',
    }),
  },
  confirmation_deadline: {
    ko: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      const n = facts.orderNumbers?.length ?? facts.count;
      return {
        title: `${shop}: 주문 확인 기한이 다가옵니다${n != null ? ` (${n}건)` : ''}`,
        message:
          `${shop} 샵의 ${count(n, lang, { ko: '주문', ja: '注文', en: ['order', 'orders'] })}이 Rakuten 주문 확인 기한` +
          `${facts.deadlineAt ? `(${when(facts.deadlineAt, lang)})` : ''}에 가까워졌습니다${orders ? `: ${orders}` : ''}. ` +
          '기한을 넘기면 Rakuten의 페널티 대상이 될 수 있으니 지금 주문을 확인해 주세요.',
      };
    },
    ja: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      const n = facts.orderNumbers?.length ?? facts.count;
      return {
        title: `${shop}：注文確認の期限が迫っています${n != null ? `（${n}件）` : ''}`,
        message:
          `${shop}の${count(n, lang, { ko: '주문', ja: '注文', en: ['order', 'orders'] })}が楽天の注文確認期限` +
          `${facts.deadlineAt ? `（${when(facts.deadlineAt, lang)}）` : ''}に近づいています${orders ? `：${orders}` : ''}。` +
          '期限を過ぎるとペナルティの対象になることがあります。今すぐ注文を確認してください。',
      };
    },
    en: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      const n = facts.orderNumbers?.length ?? facts.count;
      return {
        title: `${shop}: order confirmation deadline is near${n != null ? ` (${n})` : ''}`,
        message:
          `${count(n, lang, { ko: '주문', ja: '注文', en: ['order', 'orders'] })} of ${shop} are close to Rakuten's confirmation deadline` +
          `${facts.deadlineAt ? ` (${when(facts.deadlineAt, lang)})` : ''}${orders ? `: ${orders}` : ''}. ` +
          'Missing it can bring a penalty from Rakuten; please confirm the orders now.',
      };
    },
  },
  report_failed: {
    ko: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}: Rakuten이 발송 보고를 거부했습니다`,
        message:
          `Rakuten이 ${shop} 샵${orders ? ` 주문 ${orders}` : ''}의 발송 보고를 거부했습니다` +
          `${facts.errorCode ? ` (오류 코드 ${facts.errorCode})` : ''}. 자동으로 다시 보내지 않습니다. ` +
          '주문의 배송 회사와 송장 번호를 확인해 주세요.',
      };
    },
    ja: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}：楽天が発送報告を受け付けませんでした`,
        message:
          `楽天が${shop}${orders ? `の注文 ${orders} ` : ''}の発送報告を受け付けませんでした` +
          `${facts.errorCode ? `（エラーコード ${facts.errorCode}）` : ''}。自動では再送しません。` +
          '注文の配送会社と伝票番号を確認してください。',
      };
    },
    en: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}: Rakuten refused a shipping report`,
        message:
          `Rakuten refused the shipping report of ${orders ? `order ${orders} of ` : ''}${shop}` +
          `${facts.errorCode ? ` (error code ${facts.errorCode})` : ''}. It will not be sent again by itself. ` +
          "Please check the order's carrier and tracking numbers.",
      };
    },
  },
  pull_failing: {
    ko: ({ shop, facts, lang }) => ({
      title: `${shop}: 주문 수집이 계속 실패하고 있습니다`,
      message:
        `${facts.since ? `${when(facts.since, lang)}부터 ` : ''}${shop} 샵의 주문 수집이` +
        `${facts.thresholdMinutes != null ? ` ${facts.thresholdMinutes}분 넘게` : ' 계속'} 실패하고 있습니다. ` +
        '새 주문이 스마트십과 창고에 전달되지 않습니다. 샵 설정에서 연결 테스트를 실행해 원인을 확인해 주세요.',
    }),
    ja: ({ shop, facts, lang }) => ({
      title: `${shop}：受注の取り込みが失敗し続けています`,
      message:
        `${facts.since ? `${when(facts.since, lang)}から、` : ''}${shop}の受注取り込みが` +
        `${facts.thresholdMinutes != null ? `${facts.thresholdMinutes}分以上` : '続けて'}失敗しています。` +
        '新しい注文がSmartshipと倉庫に届きません。ショップ設定で接続テストを実行し、原因を確認してください。',
    }),
    en: ({ shop, facts, lang }) => ({
      title: `${shop}: order pulls keep failing`,
      message:
        `Order pulls for ${shop} have failed${facts.thresholdMinutes != null ? ` for more than ${facts.thresholdMinutes} minutes` : ' repeatedly'}` +
        `${facts.since ? ` (since ${when(facts.since, lang)})` : ''}. New orders are not reaching Smartship or the warehouse. ` +
        "Run a connection test in the shop's settings to see why.",
    }),
  },
  stock_push_failing: {
    ko: ({ shop, facts, lang }) => ({
      title: `${shop}: Rakuten 재고 반영이 실패하고 있습니다`,
      message:
        `${facts.since ? `${when(facts.since, lang)}부터 ` : ''}${shop} 샵의 ` +
        `${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })} 재고 수량을 Rakuten에 반영하지 못하고 있습니다. ` +
        'Rakuten에 보이는 재고가 실제와 달라 품절 상품이 팔릴 수 있습니다. 재고 화면에서 확인해 주세요.',
    }),
    ja: ({ shop, facts, lang }) => ({
      title: `${shop}：楽天への在庫反映が失敗しています`,
      message:
        `${facts.since ? `${when(facts.since, lang)}から、` : ''}${shop}の` +
        `${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })}の在庫数を楽天に反映できていません。` +
        '楽天の表示在庫が実際と異なり、在庫切れの商品が売れてしまうおそれがあります。在庫画面で確認してください。',
    }),
    en: ({ shop, facts, lang }) => ({
      title: `${shop}: stock updates to Rakuten are failing`,
      message:
        `Stock for ${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })} of ${shop} could not be updated on Rakuten` +
        `${facts.since ? ` since ${when(facts.since, lang)}` : ''}. Rakuten may show stock you do not have and sell items that are out of stock. ` +
        'Please check the inventory page.',
    }),
  },
  stock_drift: {
    ko: ({ shop, facts, lang }) => ({
      title: `${shop}: Rakuten 재고가 스마트십과 달랐습니다`,
      message:
        `${shop} 샵의 ${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })} 재고 수량이 Rakuten에서 스마트십과 달라, 스마트십의 수량으로 다시 반영했습니다. ` +
        'RMS에서 재고를 직접 수정하고 있다면 스마트십의 재고 화면에서 수정해 주세요.',
    }),
    ja: ({ shop, facts, lang }) => ({
      title: `${shop}：楽天の在庫数がSmartshipと異なっていました`,
      message:
        `${shop}の${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })}の在庫数が楽天でSmartshipと異なっていたため、Smartshipの在庫数を反映し直しました。` +
        'RMSで在庫数を直接変更している場合は、Smartshipの在庫画面で変更してください。',
    }),
    en: ({ shop, facts, lang }) => ({
      title: `${shop}: Rakuten showed different stock`,
      message:
        `Rakuten showed a different stock quantity than Smartship for ${count(facts.count, lang, { ko: '상품', ja: '商品', en: ['listing', 'listings'] })} of ${shop}; Smartship's quantities were pushed again. ` +
        'If stock is being edited in RMS by hand, please change it on the inventory page instead.',
    }),
  },
  order_unpublishable: {
    ko: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}: 처리할 수 없는 주문이 있습니다`,
        message:
          `${shop} 샵에서 가져온 주문${orders ? ` ${orders}` : ''}의 내용을 처리할 수 없어 출하되지 않습니다. ` +
          '주문 내용을 확인하고, 해결되지 않으면 스마트십 지원팀에 문의해 주세요.',
      };
    },
    ja: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}：処理できない注文があります`,
        message:
          `${shop}から取り込んだ注文${orders ? ` ${orders} ` : ''}の内容を処理できないため、出荷されません。` +
          '注文内容を確認し、解決しない場合はSmartshipサポートにお問い合わせください。',
      };
    },
    en: ({ shop, facts, lang }) => {
      const orders = orderList(facts.orderNumbers, lang);
      return {
        title: `${shop}: an order cannot be processed`,
        message:
          `${orders ? `Order ${orders}` : 'An order'} pulled from ${shop} cannot be processed and will not ship. ` +
          'Please check the order; if it stays stuck, contact Smartship support.',
      };
    },
  },
  orders_unmapped: {
    ko: ({ shop, facts, lang }) => ({
      title: `${shop}: SKU에 연결되지 않은 주문 상품이 있습니다${facts.count != null ? ` (${facts.count}건)` : ''}`,
      message:
        `${shop} 샵의 ${count(facts.count, lang, { ko: '주문 상품', ja: '注文商品', en: ['order line', 'order lines'] })}이` +
        `${facts.thresholdMinutes != null ? ` ${facts.thresholdMinutes}분 넘게` : ''} SKU에 연결되지 않아 출하지시를 보내지 못하고 있습니다` +
        `${facts.since ? ` (가장 오래된 건: ${when(facts.since, lang)})` : ''}. 매핑 화면에서 상품을 SKU에 연결해 주세요.`,
    }),
    ja: ({ shop, facts, lang }) => ({
      title: `${shop}：SKUに紐付いていない注文商品があります${facts.count != null ? `（${facts.count}件）` : ''}`,
      message:
        `${shop}の${count(facts.count, lang, { ko: '주문 상품', ja: '注文商品', en: ['order line', 'order lines'] })}が` +
        `${facts.thresholdMinutes != null ? `${facts.thresholdMinutes}分以上` : ''}SKUに紐付いておらず、出荷指示を送れていません` +
        `${facts.since ? `（最も古いもの：${when(facts.since, lang)}）` : ''}。マッピング画面で商品をSKUに紐付けてください。`,
    }),
    en: ({ shop, facts, lang }) => ({
      title: `${shop}: order lines are waiting for a SKU${facts.count != null ? ` (${facts.count})` : ''}`,
      message:
        `${count(facts.count, lang, { ko: '주문 상품', ja: '注文商品', en: ['order line', 'order lines'] })} of ${shop} have not been linked to a SKU` +
        `${facts.thresholdMinutes != null ? ` for more than ${facts.thresholdMinutes} minutes` : ''}, so they cannot go to the warehouse` +
        `${facts.since ? ` (oldest since ${when(facts.since, lang)})` : ''}. Link them to SKUs on the mapping page.`,
    }),
  },
  import_errors: {
    ko: ({ facts }) => ({
      title: `SKU 가져오기: ${facts.rowsFailed != null ? `${facts.rowsFailed}행을` : '일부 행을'} 등록하지 못했습니다`,
      message:
        `SKU 파일${facts.fileName ? ` ${facts.fileName}` : ''}` +
        `${facts.rowsTotal != null ? `의 ${facts.rowsTotal}행 중` : '에서'} ${facts.rowsFailed != null ? `${facts.rowsFailed}행` : '일부 행'}에 ` +
        '오류가 있어 등록되지 않았습니다. SKU 화면에서 행별 오류를 확인하고 고친 뒤 다시 가져와 주세요.',
    }),
    ja: ({ facts }) => ({
      title: `SKUインポート：${facts.rowsFailed != null ? `${facts.rowsFailed}行` : '一部の行'}を登録できませんでした`,
      message:
        `SKUファイル${facts.fileName ? ` ${facts.fileName} ` : ''}` +
        `${facts.rowsTotal != null ? `の${facts.rowsTotal}行のうち` : 'の'}${facts.rowsFailed != null ? `${facts.rowsFailed}行` : '一部の行'}に` +
        'エラーがあり、登録されませんでした。SKU画面で行ごとのエラーを確認し、修正してから再度インポートしてください。',
    }),
    en: ({ facts }) => ({
      title: `SKU import: ${facts.rowsFailed != null ? `${facts.rowsFailed} ${facts.rowsFailed === 1 ? 'row was' : 'rows were'}` : 'some rows were'} not imported`,
      message:
        `${facts.rowsFailed != null ? `${facts.rowsFailed}` : 'Some'}${facts.rowsTotal != null ? ` of ${facts.rowsTotal}` : ''} rows of the SKU file` +
        `${facts.fileName ? ` ${facts.fileName}` : ''} had errors and were not imported. ` +
        'See the error of each row on the SKU page, fix them and import the file again.',
    }),
  },
  account_locked: {
    ko: ({ facts, lang }) => {
      const until = when(facts.lockedUntil, lang);
      return {
        title: `계정 잠김: ${facts.email ?? '구성원 계정'}`,
        message:
          `${facts.email ?? '구성원 계정'}에 로그인이 ${facts.failures ?? '여러'}번 연속 실패해 계정을 잠갔습니다` +
          `${until ? ` (${until}까지)` : ''}. 본인이 아니라면 비밀번호를 재설정하도록 알려 주세요. 재설정하면 잠금이 풀립니다.`,
      };
    },
    ja: ({ facts, lang }) => {
      const until = when(facts.lockedUntil, lang);
      return {
        title: `アカウントをロックしました：${facts.email ?? 'メンバーのアカウント'}`,
        message:
          `${facts.email ?? 'メンバーのアカウント'}へのログインが${facts.failures ?? '何度も'}回続けて失敗したため、アカウントをロックしました` +
          `${until ? `（${until}まで）` : ''}。心当たりがなければ、パスワードの再設定を依頼してください。再設定するとロックは解除されます。`,
      };
    },
    en: ({ facts, lang }) => {
      const until = when(facts.lockedUntil, lang);
      return {
        title: `Account locked: ${facts.email ?? "a member's account"}`,
        message:
          `After ${facts.failures ?? 'many'} failed sign-ins in a row, ${facts.email ?? "a member's account"} was locked` +
          `${until ? ` until ${until}` : ''}. If it was not them, ask them to reset their password; a reset lifts the lock.`,
      };
    },
  },
  test: {
    ko: () => ({
      title: '스마트십 테스트 알림',
      message: '알림 설정 테스트입니다. 이 메시지가 보이면 스마트십 알림이 이곳으로 잘 도착합니다.',
    }),
    ja: () => ({
      title: 'Smartship テスト通知',
      message:
        '通知設定のテストです。このメッセージが届いていれば、Smartshipの通知はこちらに正しく届きます。',
    }),
    en: () => ({
      title: 'Smartship test notification',
      message:
        'This is a test of your notification settings. If you can read it, Smartship alerts reach you here.',
    }),
  },
};

/** A stand-in when the shop's name is not known yet (its shop.updated has not arrived). */
const UNKNOWN_SHOP: Record<Lang, string> = { ko: '샵', ja: 'ショップ', en: 'your shop' };

/** Title and message of an alert in the tenant's language. */
export function renderAlert(
  kind: Kind,
  lang: Lang,
  shopName: string | null,
  facts: AlertFacts | null | undefined,
): AlertText {
  const text = TEMPLATES[kind][lang]({
    shop: shopName ?? UNKNOWN_SHOP[lang],
    facts: facts ?? {},
    lang,
  });
  // English sentences may start with a count ("several orders …"); a shop's name stays as the
  // seller wrote it, and Korean and Japanese have no capitals.
  const shop = shopName ?? UNKNOWN_SHOP[lang];
  const capitalize = lang === 'en' && !text.message.startsWith(shop);
  return {
    title: text.title,
    message: capitalize
      ? text.message.charAt(0).toUpperCase() + text.message.slice(1)
      : text.message,
  };
}
