/** The console's languages: Korean first (the setup guide's language), Japanese, English. */
export const LANGS = ['ko', 'ja', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const LANG_NAMES: Record<Lang, string> = { ko: '한국어', ja: '日本語', en: 'English' };

/**
 * Every text of the console as [Korean, Japanese, English]. One table, so a key cannot exist in
 * one language and be missing in another. `{name}` is replaced by the parameter of that name.
 */
const TEXTS = {
  // Frame and navigation
  'app.name': ['스마트십', 'スマートシップ', 'Smartship'],
  'app.skip': ['본문으로 건너뛰기', '本文へスキップ', 'Skip to content'],
  'nav.label': ['주 메뉴', 'メインメニュー', 'Main menu'],
  'nav.shops': ['쇼핑몰 API 설정', 'ショップAPI設定', 'Shop API settings'],
  'nav.skus': ['SKU 관리', 'SKU管理', 'SKUs'],
  'nav.mapping': ['SKU 매핑', 'SKUマッピング', 'Mapping'],
  'nav.orders': ['주문', '注文', 'Orders'],
  'nav.fulfillment': ['출하', '出荷', 'Shipments'],
  'nav.inventory': ['재고', '在庫', 'Stock'],
  'nav.signOut': ['로그아웃', 'ログアウト', 'Sign out'],
  'nav.language': ['언어', '言語', 'Language'],
  'common.loading': ['불러오는 중…', '読み込み中…', 'Loading…'],
  'common.save': ['저장', '保存', 'Save'],
  'common.cancel': ['취소', 'キャンセル', 'Cancel'],
  'common.close': ['닫기', '閉じる', 'Close'],
  'common.search': ['검색', '検索', 'Search'],
  'common.refresh': ['새로고침', '再読み込み', 'Refresh'],
  'common.edit': ['수정', '編集', 'Edit'],
  'common.delete': ['삭제', '削除', 'Delete'],
  'common.remove': ['빼기', '削除', 'Remove'],
  'common.none': ['없음', 'なし', 'None'],
  'common.empty': ['항목이 없습니다.', '項目がありません。', 'Nothing here yet.'],
  'common.actions': ['작업', '操作', 'Actions'],
  'common.more': ['더 보기', 'さらに表示', 'Show more'],
  'common.on': ['켜짐', 'オン', 'On'],
  'common.off': ['꺼짐', 'オフ', 'Off'],
  'common.details': ['기술 정보', '技術情報', 'Technical details'],
  'common.required': ['필수', '必須', 'required'],
  'common.optional': ['선택', '任意', 'optional'],

  // Sign-in
  'signIn.title': [
    '스마트십 콘솔 로그인',
    'スマートシップ コンソールにログイン',
    'Sign in to the Smartship console',
  ],
  'signIn.token': ['API 토큰', 'APIトークン', 'API token'],
  'signIn.tokenHelp': [
    '운영자가 테넌트를 만들 때 한 번 보여 준 토큰(sst_로 시작)을 붙여 넣으세요. 토큰은 이 브라우저 탭에만 보관됩니다.',
    'オペレーターがテナント作成時に一度だけ表示したトークン（sst_で始まる）を貼り付けてください。トークンはこのブラウザタブにだけ保存されます。',
    'Paste the token the operator was shown once when your tenant was created (it starts with sst_). It is kept in this browser tab only.',
  ],
  'signIn.submit': ['로그인', 'ログイン', 'Sign in'],
  'signIn.checking': ['확인 중…', '確認中…', 'Checking…'],

  // Shops list
  'shops.title': ['쇼핑몰 API 설정', 'ショップAPI設定', 'Shop API settings'],
  'shops.new': ['+ 신규등록', '+ 新規登録', '+ New'],
  'shops.empty': [
    '연동된 쇼핑몰이 없습니다. [+ 신규등록]으로 Rakuten 샵을 연결하세요.',
    '連携中のショップはありません。[+ 新規登録]から楽天ショップを連携してください。',
    'No shop is connected yet. Use [+ New] to connect a Rakuten shop.',
  ],
  'shops.col.shop': ['쇼핑몰', 'ショップ', 'Shop'],
  'shops.col.status': ['상태', '状態', 'Status'],
  'shops.col.key': ['License Key', 'ライセンスキー', 'License key'],
  'shops.col.lastTest': ['마지막 연결 테스트', '最終接続テスト', 'Last connection test'],
  'shops.col.lastPull': ['마지막 주문 수집', '最終注文取込', 'Last order pull'],
  'shops.col.options': ['옵션', 'オプション', 'Options'],
  'shops.keyLast4': [
    '…{last4} ({date} 만료)',
    '…{last4}（{date} 期限）',
    '…{last4} (expires {date})',
  ],
  'shops.pendingKey': [
    '새 키 …{last4} 활성화 대기 중',
    '新しいキー …{last4} の有効化待ち',
    'New key …{last4} waiting for Rakuten to activate it',
  ],
  'shops.test': ['연결 테스트하기', '接続テストする', 'Test connection'],
  'shops.testing': ['테스트 중…', 'テスト中…', 'Testing…'],
  'shops.pull': ['지금 주문 가져오기', '今すぐ注文を取込', 'Pull orders now'],
  'shops.pulling': ['가져오는 중…', '取込中…', 'Pulling…'],
  'shops.renew': ['키 갱신', 'キー更新', 'Renew keys'],
  'shops.disable': ['사용 중지', '無効にする', 'Disable'],
  'shops.enable': ['다시 사용', '有効にする', 'Enable'],
  'shops.never': ['아직 없음', 'まだありません', 'Not yet'],
  'shops.pullSummary': [
    '{at}: 발송대기 {searched}건 중 신규 {new}건',
    '{at}: 発送待ち {searched}件中 新規 {new}件',
    '{at}: {new} new of {searched} waiting for shipment',
  ],
  'shops.pullRunning': ['{at}부터 수집 중', '{at}から取込中', 'Running since {at}'],
  'shops.pullFailed': ['{at}: 중단됨 — {error}', '{at}: 中断 — {error}', '{at}: stopped — {error}'],
  'shops.pullUnknown': [
    '수집 기록을 불러올 수 없습니다',
    '取込履歴を取得できません',
    'Pull history unavailable',
  ],
  'shops.disabledNote': ['사용 중지됨', '無効', 'Disabled'],
  'shops.optionsUpdated': ['옵션을 저장했습니다.', 'オプションを保存しました。', 'Options saved.'],

  // Shop status
  'status.active': ['정상', '正常', 'Active'],
  'status.expiring_soon': [
    '키 만료 {days}일 전',
    'キー期限まであと{days}日',
    'Key expires in {days} days',
  ],
  'status.expiring_today': ['키가 오늘 만료됩니다', 'キーは本日期限切れ', 'Key expires today'],
  'status.expired': ['키 만료됨', 'キー期限切れ', 'Key expired'],
  'status.needs_reauth': ['재인증 필요', '再認証が必要', 'Needs re-auth'],
  'status.disabled': ['사용 중지', '無効', 'Disabled'],
  'status.deleted': ['삭제됨', '削除済み', 'Deleted'],
  'status.hint.needs_reauth': [
    'Rakuten이 키를 거부했습니다. [키 갱신]으로 새 키를 입력하세요. 그때까지 주문 수집이 멈춥니다.',
    '楽天がキーを拒否しました。[キー更新]で新しいキーを入力してください。それまで注文取込は止まります。',
    'Rakuten refused the keys. Enter new ones with [Renew keys]; order pulls are paused until then.',
  ],
  'status.hint.expired': [
    'License Key가 만료되었습니다. RMS에서 새로 발급해 [키 갱신]으로 입력하세요.',
    'ライセンスキーの期限が切れました。RMSで再発行し[キー更新]で入力してください。',
    'The licence key has expired. Issue a new one in RMS and enter it with [Renew keys].',
  ],
  'status.hint.expiring_soon': [
    '만료 전에 RMS에서 새 License Key를 발급해 [키 갱신]으로 입력하세요.',
    '期限前にRMSで新しいライセンスキーを発行し[キー更新]で入力してください。',
    'Before it expires, issue a new licence key in RMS and enter it with [Renew keys].',
  ],

  // Connection tests
  'test.OK': [
    '연결 성공: Rakuten 주문 API를 사용할 수 있습니다.',
    '接続成功：楽天ペイ受注APIを利用できます。',
    'Connected: the Rakuten order API answers with these keys.',
  ],
  'test.AUTH_FAILED': [
    'Rakuten이 키를 거부했습니다. serviceSecret과 License Key를 RMS > WEB APIサービス에서 다시 복사해 입력하세요.',
    '楽天がキーを拒否しました。serviceSecretとライセンスキーをRMS > WEB APIサービスから再度コピーして入力してください。',
    'Rakuten refused the keys. Copy serviceSecret and the licence key again from RMS > WEB APIサービス.',
  ],
  'test.LICENSE_KEY_EXPIRED': [
    'License Key가 만료되었습니다(발급 후 90일). RMS에서 새로 발급해 [키 갱신]으로 입력하세요.',
    'ライセンスキーの期限が切れています（発行から90日）。RMSで再発行し[キー更新]で入力してください。',
    'The licence key has expired (90 days after issue). Issue a new one in RMS and use [Renew keys].',
  ],
  'test.LICENSE_KEY_NOT_ACTIVE_YET': [
    '새 License Key가 아직 활성화되지 않았습니다. Rakuten은 발급 후 10–30분 뒤에 키를 받아들입니다. 잠시 후 다시 테스트하세요.',
    '新しいライセンスキーはまだ有効になっていません。楽天は発行後10〜30分で受け付けます。しばらくして再テストしてください。',
    'The new licence key is not active yet: Rakuten accepts it 10–30 minutes after issue. Test again shortly.',
  ],
  'test.ORDER_API_NOT_ENABLED': [
    '주문 API가 켜져 있지 않습니다. RMS > WEB APIサービス > 利用機能編集에서 楽天ペイ受注API [全て選択] 후 등록하세요.',
    '受注APIが有効ではありません。RMS > WEB APIサービス > 利用機能編集で楽天ペイ受注APIの[全て選択]を押して登録してください。',
    'The order API is not enabled. In RMS > WEB APIサービス > 利用機能編集, press [全て選択] for 楽天ペイ受注API and save.',
  ],
  'test.THROTTLED': [
    'Rakuten 호출 한도에 걸렸습니다. 1분 뒤 다시 시도하세요.',
    '楽天の呼び出し上限に達しました。1分後に再試行してください。',
    'Rakuten is limiting calls for this key. Try again in a minute.',
  ],
  'test.RAKUTEN_UNAVAILABLE': [
    'Rakuten이 점검 중이거나 응답하지 않습니다. 나중에 다시 테스트하세요.',
    '楽天がメンテナンス中か応答しません。後で再テストしてください。',
    'Rakuten is under maintenance or not answering. Test again later.',
  ],
  'test.UNREACHABLE': [
    'Rakuten에 연결할 수 없습니다(네트워크). 잠시 후 다시 시도하세요.',
    '楽天に接続できません（ネットワーク）。しばらくして再試行してください。',
    'Rakuten cannot be reached (network). Try again shortly.',
  ],
  'test.at': ['{at}, {ms}ms', '{at}、{ms}ms', '{at}, {ms} ms'],

  // Shop form
  'form.newTitle': ['쇼핑몰 연동 등록', 'ショップ連携登録', 'Connect a shop'],
  'form.marketplace': ['쇼핑몰 선택', 'ショップを選択', 'Choose the marketplace'],
  'form.rakuten': ['Rakuten (楽天市場)', '楽天市場', 'Rakuten Ichiba'],
  'form.guideTitle': [
    'Rakuten API KEY 발급받기',
    '楽天 API キーの発行',
    'Getting the Rakuten API keys',
  ],
  'form.guide1': [
    'RMS에 로그인 후 店舗様向け情報・サービス > WEB APIサービス > 申込、利用規約確認에서 이용 신청을 합니다.',
    'RMSにログインし、店舗様向け情報・サービス > WEB APIサービス > 申込、利用規約確認で利用申込をします。',
    'Sign in to RMS and apply under 店舗様向け情報・サービス > WEB APIサービス > 申込、利用規約確認.',
  ],
  'form.guide2': [
    'Web API 메뉴의 [利用機能編集]에서 楽天ペイ受注API(RakutenPay_OrderAPI) 항목을 [全て選択]으로 모두 선택하고 등록합니다.',
    'Web APIメニューの[利用機能編集]で楽天ペイ受注API（RakutenPay_OrderAPI）を[全て選択]して登録します。',
    'In the Web API menu press [利用機能編集], select all of 楽天ペイ受注API (RakutenPay_OrderAPI) with [全て選択] and save.',
  ],
  'form.guide3': [
    '등록이 끝나면 serviceSecret과 License Key가 보입니다. License Key 전체는 ライセンスキーの確認・変更에서 확인합니다.',
    '登録後にserviceSecretとライセンスキーが表示されます。ライセンスキー全体はライセンスキーの確認・変更で確認します。',
    'Then RMS shows serviceSecret and the licence key; the full licence key is under ライセンスキーの確認・変更.',
  ],
  'form.shopId': ['쇼핑몰 샵 ID', 'ショップID', 'Shop ID'],
  'form.shopId.help': [
    'Rakuten 판매자 ID(샵 URL의 마지막 부분)입니다. 예: abcd14231499',
    '楽天の店舗ID（ショップURLの最後の部分）です。例：abcd14231499',
    'Your Rakuten seller ID (the last part of the shop URL), e.g. abcd14231499',
  ],
  'form.shopUrl': ['샵 URL', 'ショップURL', 'Shop URL'],
  'form.shopUrl.help': [
    'https://www.rakuten.ne.jp/ 뒤에 샵 ID를 붙인 주소입니다. 예: https://www.rakuten.ne.jp/abcd14231499 — 잘못된 값이나 빈칸이면 URL을 확인할 수 없습니다.',
    'https://www.rakuten.ne.jp/ の後ろに店舗IDを付けたURLです。例：https://www.rakuten.ne.jp/abcd14231499 — 誤りや空欄ではURLを確認できません。',
    'https://www.rakuten.ne.jp/ followed by your shop ID, e.g. https://www.rakuten.ne.jp/abcd14231499 — a wrong or empty value cannot be checked.',
  ],
  'form.serviceSecret': ['서비스 Secret Key', 'serviceSecret', 'Service secret'],
  'form.serviceSecret.help': [
    'RMS > WEB APIサービス에서 발급받은 serviceSecret입니다. 암호화해 저장하며 다시 표시하지 않습니다.',
    'RMS > WEB APIサービスで発行されたserviceSecretです。暗号化して保存し、再表示しません。',
    'The serviceSecret issued in RMS > WEB APIサービス. Stored encrypted and never shown again.',
  ],
  'form.licenseKey': ['License Key', 'ライセンスキー', 'License key'],
  'form.licenseKey.help': [
    'RMS 화면에는 끝 4자리만 보입니다. 전체는 ライセンスキーの確認・変更 → 체크 → [確認する]에서 확인하세요. 발급 후 90일 동안 유효합니다.',
    'RMSの画面には末尾4桁だけが表示されます。全体はライセンスキーの確認・変更 → チェック → [確認する]で確認してください。発行から90日間有効です。',
    'RMS shows only its last 4 characters; see the whole key under ライセンスキーの確認・変更 → tick → [確認する]. Valid for 90 days after issue.',
  ],
  'form.options': ['API 연결 설정 옵션', 'API接続設定オプション', 'API connection options'],
  'form.autoOrderSync': ['자동 주문 연동', '自動注文連携', 'Automatic order sync'],
  'form.autoOrderSync.help': [
    'Rakuten의 発送待ち(발송대기) 주문을 정기적으로 가져옵니다.',
    '楽天の発送待ちの注文を定期的に取り込みます。',
    'Pulls Rakuten orders waiting for shipment (発送待ち) on a schedule.',
  ],
  'form.autoOrderConfirm': ['자동 주문 확인', '自動注文確認', 'Automatic order confirmation'],
  'form.autoOrderConfirm.help': [
    '새 주문(注文確認待ち)을 사람 손을 거치지 않고 Rakuten에서 확인 처리합니다.',
    '新しい注文（注文確認待ち）を人手を介さず楽天上で確認済みにします。',
    'Confirms new orders (注文確認待ち) on Rakuten without a person.',
  ],
  'form.autoFulfillmentDispatch': [
    '자동 풀필먼트 출하지시',
    '自動フルフィルメント出荷指示',
    'Automatic fulfillment dispatch',
  ],
  'form.autoFulfillmentDispatch.help': [
    'SKU에 연결된 주문을 바로 창고로 출하지시합니다. 끄면 [출하] 화면에서 직접 보냅니다.',
    'SKUに紐付いた注文をすぐに倉庫へ出荷指示します。オフなら[出荷]画面から手動で送ります。',
    'Sends mapped orders to the warehouse at once. Off: you release them on the Shipments page.',
  ],
  'form.submit': ['등록', '登録', 'Register'],
  'form.submitting': ['등록 중…', '登録中…', 'Registering…'],
  'form.registered': [
    '등록했습니다. 연결 테스트 결과:',
    '登録しました。接続テストの結果：',
    'Registered. Connection test:',
  ],
  'renew.title': ['키 갱신: {shop}', 'キー更新：{shop}', 'Renew keys: {shop}'],
  'renew.help': [
    '새 키는 Rakuten이 받아들이면 바로 쓰고, 아직 활성화 전이면 기존 키를 계속 쓰다가 활성화되면 바꿉니다(10–30분).',
    '新しいキーは楽天が受け付ければすぐ使い、有効化前なら旧キーを使い続け、有効化後に切り替えます（10〜30分）。',
    'New keys are used at once when Rakuten accepts them; otherwise the old key keeps working until Rakuten activates the new one (10–30 minutes).',
  ],
  'renew.submit': ['갱신', '更新', 'Renew'],

  // SKUs
  'skus.title': ['SKU 관리', 'SKU管理', 'SKUs'],
  'skus.search': [
    'SKU 코드, 판매자 정의 코드, 이름',
    'SKUコード・販売者定義コード・名前',
    'SKU code, seller code or name',
  ],
  'skus.new': ['+ SKU 등록', '+ SKU登録', '+ New SKU'],
  'skus.col.code': ['SKU 코드', 'SKUコード', 'SKU code'],
  'skus.col.name': ['이름', '名前', 'Name'],
  'skus.col.kind': ['유형', '種類', 'Kind'],
  'skus.col.sellerCode': ['판매자 정의 코드', '販売者定義コード', 'Seller code'],
  'skus.col.options': ['옵션 / 구성', 'オプション／構成', 'Options / contents'],
  'skus.kind.single': ['단일 상품', '単品', 'Single product'],
  'skus.kind.options': ['옵션 상품', 'オプション商品', 'With options'],
  'skus.kind.bundle': ['세트 상품', 'セット商品', 'Bundle'],
  'skus.form.new': ['SKU 등록', 'SKU登録', 'New SKU'],
  'skus.form.edit': ['SKU 수정: {code}', 'SKU編集：{code}', 'Edit SKU: {code}'],
  'skus.form.code': ['SKU 코드', 'SKUコード', 'SKU code'],
  'skus.form.code.help': [
    '창고가 재고를 관리하는 코드입니다. 공백 없는 영문, 숫자, 기호. 예: TEE-001',
    '倉庫が在庫を管理するコードです。空白なしの英数字・記号。例：TEE-001',
    'The code the warehouse keeps stock under: letters, digits, symbols, no spaces. E.g. TEE-001',
  ],
  'skus.form.name': ['SKU 이름', 'SKU名', 'SKU name'],
  'skus.form.barcode': ['바코드', 'バーコード', 'Barcode'],
  'skus.form.kind': ['상품 유형', '商品の種類', 'Product kind'],
  'skus.form.sellerCode.help': [
    '옵션이 없는 상품: Rakuten 商品番号와 똑같이 입력하세요(대소문자 구분).',
    'オプションなしの商品：楽天の商品番号と同じ値を入力してください（大文字小文字を区別）。',
    'Product without options: exactly its Rakuten 商品番号 (letter case counts).',
  ],
  'skus.form.options': ['상품 옵션 관리', '商品オプション管理', 'Options'],
  'skus.form.options.help': [
    '옵션별 판매자 정의 코드에 Rakuten의 システム連携用SKU番号(SKU 이행 전: 商品番号+横軸+縦軸 코드)를 입력하세요.',
    'オプションごとの販売者定義コードに楽天のシステム連携用SKU番号（SKU移行前：商品番号＋横軸＋縦軸コード）を入力してください。',
    "Each option's seller code is its Rakuten システム連携用SKU番号 (before the SKU migration: 商品番号 + 横軸 + 縦軸 codes).",
  ],
  'skus.form.optionCode': ['옵션 코드', 'オプションコード', 'Option code'],
  'skus.form.optionName': ['옵션 이름', 'オプション名', 'Option name'],
  'skus.form.variantId': ['Rakuten SKU管理番号', '楽天 SKU管理番号', 'Rakuten SKU管理番号'],
  'skus.form.addOption': ['+ 옵션 추가', '+ オプション追加', '+ Add option'],
  'skus.form.components': ['세트 구성', 'セット構成', 'Bundle contents'],
  'skus.form.components.help': [
    '세트 1개가 출하하는 SKU와 수량입니다.',
    'セット1個で出荷するSKUと数量です。',
    'The SKUs and quantities one unit of the bundle ships.',
  ],
  'skus.form.componentSku': ['구성 SKU 코드', '構成SKUコード', 'Component SKU code'],
  'skus.form.quantity': ['수량', '数量', 'Quantity'],
  'skus.form.addComponent': ['+ 구성 추가', '+ 構成追加', '+ Add component'],
  'skus.saved': [
    '저장했습니다. 보류 주문 {released}건이 풀렸습니다.',
    '保存しました。保留中の注文{released}件を解除しました。',
    'Saved. {released} held order(s) released.',
  ],
  'skus.import': ['엑셀/CSV 업로드', 'Excel/CSVアップロード', 'Excel/CSV import'],
  'skus.import.help': [
    '템플릿의 열 이름을 그대로 두고 한 줄에 SKU 하나(옵션 상품은 옵션 하나)를 입력하세요. 잘못된 행이 하나라도 있으면 아무것도 저장하지 않고 행마다 이유를 보여 줍니다.',
    'テンプレートの列名はそのままに、1行にSKU1つ（オプション商品はオプション1つ）を入力してください。誤った行が1つでもあれば何も保存せず、行ごとに理由を表示します。',
    "Keep the template's column names; one row per SKU (per option for products with options). If any row is wrong nothing is stored and each row's problem is listed.",
  ],
  'skus.import.template': [
    '템플릿 받기 ({format})',
    'テンプレート（{format}）',
    'Download template ({format})',
  ],
  'skus.import.file': ['파일 (.xlsx, .csv)', 'ファイル（.xlsx、.csv）', 'File (.xlsx, .csv)'],
  'skus.import.submit': ['업로드', 'アップロード', 'Upload'],
  'skus.import.done': [
    '{rows}행: 새로 {created}, 변경 {updated}, 그대로 {unchanged}. 보류 주문 {released}건 해제.',
    '{rows}行：新規{created}、更新{updated}、変更なし{unchanged}。保留注文{released}件を解除。',
    '{rows} rows: {created} created, {updated} updated, {unchanged} unchanged. {released} held order(s) released.',
  ],
  'skus.import.rejected': [
    '{count}개 문제가 있어 아무것도 저장하지 않았습니다.',
    '{count}件の問題があるため何も保存していません。',
    '{count} problem(s): nothing was stored.',
  ],
  'skus.import.row': ['행', '行', 'Row'],
  'skus.import.column': ['열', '列', 'Column'],
  'skus.import.reason': ['문제', '問題', 'Problem'],

  // Mapping
  'mapping.title': ['SKU 매핑', 'SKUマッピング', 'Mapping'],
  'mapping.queue': ['매핑이 필요한 주문', 'マッピングが必要な注文', 'Orders waiting for mapping'],
  'mapping.queue.help': [
    '줄 하나라도 SKU에 연결되지 않으면 주문 전체가 보류됩니다. SKU를 골라 [연결]하면 같은 상품명·옵션의 이후 주문도 연결되고 보류 주문이 바로 풀립니다.',
    '1行でもSKUに紐付かないと注文全体が保留されます。SKUを選んで[紐付け]すると同じ商品名・オプションの今後の注文も紐付き、保留中の注文はすぐ解除されます。',
    'An order with any unlinked line is held whole. Pick a SKU and press [Link]: this and every later line with the same item name and option maps, and held orders are released at once.',
  ],
  'mapping.queue.empty': [
    '보류된 주문이 없습니다.',
    '保留中の注文はありません。',
    'No order is waiting for mapping.',
  ],
  'mapping.reason.no_match': [
    '일치하는 SKU가 없습니다',
    '一致するSKUがありません',
    'No SKU matches',
  ],
  'mapping.reason.ambiguous': [
    'SKU 후보가 둘 이상입니다',
    'SKU候補が複数あります',
    'More than one SKU matches',
  ],
  'mapping.line': [
    '{item} / {option} × {units}',
    '{item} / {option} × {units}',
    '{item} / {option} × {units}',
  ],
  'mapping.codes': [
    '商品番号 {itemNumber}, SKU번호 {sku}',
    '商品番号 {itemNumber}、SKU番号 {sku}',
    '商品番号 {itemNumber}, SKU number {sku}',
  ],
  'mapping.suggestions': ['추천 SKU', '候補SKU', 'Suggested SKUs'],
  'mapping.skuToLink': ['연결할 SKU 코드', '紐付けるSKUコード', 'SKU code to link'],
  'mapping.link': ['연결', '紐付け', 'Link'],
  'mapping.linked': [
    '연결했습니다. 주문 {released}건이 풀렸습니다.',
    '紐付けました。注文{released}件を解除しました。',
    'Linked. {released} order(s) released.',
  ],
  'mapping.rules': ['상품명 매핑 규칙', '商品名マッピングルール', 'Name rules'],
  'mapping.rules.help': [
    'Rakuten 상품명과 옵션 값을 띄어쓰기·대소문자까지 똑같이 입력하세요.',
    '楽天の商品名とオプション値を、空白や大文字小文字まで同じに入力してください。',
    'Enter the Rakuten item name and option text exactly, spaces and letter case included.',
  ],
  'mapping.itemName': ['Rakuten 상품명', '楽天の商品名', 'Rakuten item name'],
  'mapping.optionText': ['옵션 값', 'オプション値', 'Option text'],
  'mapping.skuCode': ['SKU 코드', 'SKUコード', 'SKU code'],
  'mapping.dryRun': ['미리보기', 'プレビュー', 'Preview'],
  'mapping.addRule': ['규칙 추가', 'ルール追加', 'Add rule'],
  'mapping.dryRun.result': [
    '이 규칙은 {lines}개 줄에 적용되고 주문 {orders}건을 풉니다: {list}',
    'このルールは{lines}行に適用され、注文{orders}件を解除します：{list}',
    'This rule applies to {lines} line(s) and would release {orders} order(s): {list}',
  ],
  'mapping.ruleAdded': [
    '규칙을 추가했습니다. 주문 {released}건이 풀렸습니다.',
    'ルールを追加しました。注文{released}件を解除しました。',
    'Rule added. {released} order(s) released.',
  ],

  // Orders
  'orders.title': ['주문', '注文', 'Orders'],
  'orders.state': ['상태', '状態', 'State'],
  'orders.state.needs_mapping': ['매핑 필요', 'マッピング待ち', 'Needs mapping'],
  'orders.state.mapped': ['매핑 완료', 'マッピング済み', 'Mapped'],
  'orders.col.number': ['주문번호', '注文番号', 'Order number'],
  'orders.col.orderedAt': ['주문일시', '注文日時', 'Ordered'],
  'orders.col.since': ['상태 변경', '状態変更', 'Since'],
  'orders.col.lines': ['상품', '商品', 'Lines'],
  'orders.lookup': ['주문번호로 찾기', '注文番号で検索', 'Find by order number'],
  'orders.show': ['타임라인 보기', 'タイムライン', 'Show timeline'],
  'orders.timeline': ['주문 {number}의 진행', '注文{number}の経過', 'Timeline of order {number}'],
  'orders.stoppedAt': ['여기서 멈춤: {step}', 'ここで停止：{step}', 'Stopped at: {step}'],
  'orders.unavailable': [
    '응답하지 않은 서비스: {list}',
    '応答しなかったサービス：{list}',
    'Services that did not answer: {list}',
  ],
  'step.pulled': ['Rakuten에서 가져옴', '楽天から取込', 'Pulled from Rakuten'],
  'step.confirmed': ['Rakuten에서 주문 확인', '楽天で注文確認', 'Confirmed on Rakuten'],
  'step.mapped': ['SKU 연결', 'SKU紐付け', 'Mapped to SKUs'],
  'step.held': ['보류', '保留', 'Held'],
  'step.dispatched': ['창고로 출하지시', '倉庫へ出荷指示', 'Sent to the warehouse'],
  'step.shipped': ['출하', '出荷', 'Shipped'],
  'step.reported': ['Rakuten에 발송 보고', '楽天へ発送報告', 'Reported to Rakuten'],
  'step.canceled': ['취소', 'キャンセル', 'Canceled'],
  'step.confirmation_failed': [
    'Rakuten 주문 확인 실패',
    '楽天での注文確認に失敗',
    'Confirmation on Rakuten failed',
  ],
  'step.problem': ['주문을 읽지 못함', '注文を読み取れません', 'Order could not be read'],
  'step.needs_mapping': ['SKU 매핑 대기', 'SKUマッピング待ち', 'Waiting for mapping'],
  'step.created': ['출하 지시 생성', '出荷指示を作成', 'Fulfillment order created'],
  'step.released': ['출하지시됨', '出荷指示済み', 'Released'],
  'step.report_recorded': ['발송 보고 준비', '発送報告を準備', 'Shipping report recorded'],
  'step.report_sent': ['발송 보고 전송', '発送報告を送信', 'Shipping report sent'],
  'step.report_failed': ['발송 보고 실패', '発送報告に失敗', 'Shipping report failed'],
  'step.canceled_after_shipment': [
    '출하 후 취소됨',
    '出荷後にキャンセル',
    'Canceled after shipment',
  ],

  // Fulfillment orders
  'fo.title': ['출하 지시', '出荷指示', 'Fulfillment orders'],
  'fo.status.all': ['전체', 'すべて', 'All'],
  'fo.status.awaiting_shop': ['쇼핑몰 설정 대기', 'ショップ設定待ち', 'Waiting for shop settings'],
  'fo.status.awaiting_release': ['출하지시 대기', '出荷指示待ち', 'Waiting for release'],
  'fo.status.awaiting_stock': ['재고 대기', '在庫待ち', 'Waiting for stock'],
  'fo.status.ready': ['창고 작업 중', '倉庫作業中', 'At the warehouse'],
  'fo.status.shipped': ['출하 완료', '出荷済み', 'Shipped'],
  'fo.status.canceled': ['취소됨', 'キャンセル済み', 'Canceled'],
  'fo.col.order': ['주문 / 배송', '注文／配送', 'Order / package'],
  'fo.col.recipient': ['받는 분', 'お届け先', 'Recipient'],
  'fo.col.lines': ['SKU', 'SKU', 'SKUs'],
  'fo.col.status': ['상태', '状態', 'Status'],
  'fo.release': ['출하지시', '出荷指示', 'Release'],
  'fo.released': ['창고로 보냈습니다.', '倉庫へ送りました。', 'Sent to the warehouse.'],
  'fo.notReleased': [
    '이미 보낸 출하 지시입니다. 바뀐 것이 없습니다.',
    '送信済みの出荷指示です。変更はありません。',
    'Already released; nothing changed.',
  ],
  'fo.ship': ['출하 확정', '出荷確定', 'Confirm shipped'],
  'fo.shipTitle': ['출하 확정: {order}', '出荷確定：{order}', 'Confirm shipment: {order}'],
  'fo.carrier': ['배송회사 (Rakuten 코드)', '配送会社（楽天コード）', 'Carrier (Rakuten code)'],
  'fo.tracking': ['송장번호', '伝票番号', 'Tracking numbers'],
  'fo.tracking.help': [
    '택배 상자마다 하나씩, 줄바꿈이나 쉼표로 구분합니다(최대 20개).',
    '荷物ごとに1つ、改行かカンマで区切ります（最大20個）。',
    'One per parcel, separated by line breaks or commas (at most 20).',
  ],
  'fo.shippingDate': ['발송일 (일본 시간)', '発送日（日本時間）', 'Shipping date (JST)'],
  'fo.shipped': [
    '출하를 확정했습니다. Rakuten에 발송 보고합니다.',
    '出荷を確定しました。楽天へ発送報告します。',
    'Shipment confirmed; it is being reported to Rakuten.',
  ],
  'fo.alreadyShipped': [
    '이미 같은 내용으로 확정된 출하입니다.',
    '同じ内容で確定済みです。',
    'Already confirmed with these details.',
  ],
  'fo.shipment': [
    '{carrier} {numbers} ({date})',
    '{carrier} {numbers}（{date}）',
    '{carrier} {numbers} ({date})',
  ],
  'fo.hold.shop_settings_unknown': [
    '쇼핑몰 설정을 아직 받지 못했습니다',
    'ショップ設定をまだ受け取っていません',
    'Shop settings not known yet',
  ],
  'fo.hold.awaiting_release': [
    '자동 출하지시가 꺼져 있어 [출하지시]를 기다립니다',
    '自動出荷指示がオフのため[出荷指示]待ちです',
    'Automatic dispatch is off: waiting for [Release]',
  ],
  'fo.hold.insufficient_stock': [
    '재고 부족: {lines}',
    '在庫不足：{lines}',
    'Short of stock: {lines}',
  ],
  'fo.attention': ['확인 필요: {reason}', '要確認：{reason}', 'Needs attention: {reason}'],

  // Inventory
  'inv.title': ['재고', '在庫', 'Stock on hand'],
  'inv.filter': ['SKU 코드로 시작', 'SKUコードの先頭', 'SKU code starts with'],
  'inv.shortOnly': ['부족한 SKU만', '不足しているSKUのみ', 'Short SKUs only'],
  'inv.col.sku': ['SKU 코드', 'SKUコード', 'SKU code'],
  'inv.col.onHand': ['실재고', '実在庫', 'On hand'],
  'inv.col.reserved': ['예약', '引当', 'Reserved'],
  'inv.col.available': ['가용', '有効在庫', 'Available'],
  'inv.col.waiting': ['대기 주문 수량', '待ち注文数', 'Waiting'],
  'inv.col.updated': ['변경', '更新', 'Updated'],
  'inv.set': ['실재고 입력', '実在庫を入力', 'Set on hand'],
  'inv.setFor': ['{sku}의 실재고', '{sku}の実在庫', 'Units of {sku} on hand'],
  'inv.saved': [
    '저장했습니다. 재고를 기다리던 출하 지시 {released}건을 보냈습니다.',
    '保存しました。在庫待ちの出荷指示{released}件を送りました。',
    'Saved. {released} fulfillment order(s) waiting for stock were sent.',
  ],

  // Errors: by code
  'error.title': ['처리하지 못했습니다', '処理できませんでした', 'That did not work'],
  'error.NETWORK': [
    '서버에 연결할 수 없습니다. 네트워크를 확인하고 다시 시도하세요.',
    'サーバーに接続できません。ネットワークを確認して再試行してください。',
    'The server cannot be reached. Check the network and try again.',
  ],
  'error.VALIDATION_FAILED': [
    '입력값을 확인하세요. 아무것도 저장하지 않았습니다.',
    '入力内容を確認してください。何も保存していません。',
    'Please check the values below. Nothing was stored.',
  ],
  'error.BAD_REQUEST': [
    '요청이 올바르지 않습니다.',
    'リクエストが正しくありません。',
    'The request is not valid.',
  ],
  'error.INVALID_JSON': [
    '요청이 올바르지 않습니다.',
    'リクエストが正しくありません。',
    'The request is not valid.',
  ],
  'error.UNAUTHENTICATED': [
    '토큰이 올바르지 않거나 폐기되었습니다. 다시 로그인하세요.',
    'トークンが無効か失効しています。もう一度ログインしてください。',
    'The token is wrong or was revoked. Sign in again.',
  ],
  'error.TENANT_TOKEN_REQUIRED': [
    '운영자 토큰으로는 콘솔을 쓸 수 없습니다. 테넌트 토큰(sst_…)으로 로그인하세요.',
    'オペレータートークンではコンソールを使えません。テナントトークン（sst_…）でログインしてください。',
    'The operator token cannot use the console. Sign in with a tenant token (sst_…).',
  ],
  'error.OPERATOR_ONLY': [
    '운영자만 할 수 있는 작업입니다.',
    'オペレーター専用の操作です。',
    'Only the operator may do that.',
  ],
  'error.FORBIDDEN': ['권한이 없습니다.', '権限がありません。', 'Not allowed.'],
  'error.NOT_FOUND': ['찾을 수 없습니다.', '見つかりません。', 'Not found.'],
  'error.ORDER_NOT_FOUND': [
    '이 계정에 그 번호의 주문이 없습니다.',
    'このアカウントにその番号の注文はありません。',
    'There is no order with that number in this account.',
  ],
  'error.SHOP_NOT_FOUND': [
    '쇼핑몰을 찾을 수 없습니다. 방금 등록했다면 몇 초 뒤 다시 시도하세요.',
    'ショップが見つかりません。登録直後なら数秒後に再試行してください。',
    'Shop not found. If you have just registered it, try again in a few seconds.',
  ],
  'error.SHOP_ALREADY_REGISTERED': [
    '이 Rakuten 샵은 이미 등록되어 있습니다. 목록에서 [키 갱신]을 쓰세요.',
    'この楽天ショップは登録済みです。一覧の[キー更新]を使ってください。',
    'This Rakuten shop is already registered. Use [Renew keys] in the list.',
  ],
  'error.SHOP_NOT_PULLABLE': [
    '지금은 이 쇼핑몰의 주문을 가져올 수 없습니다(사용 중지, 키 만료 또는 재인증 필요).',
    '現在このショップの注文は取り込めません（無効、キー期限切れ、または再認証が必要）。',
    'Orders cannot be pulled for this shop now (disabled, key expired or re-auth needed).',
  ],
  'error.PULL_IN_PROGRESS': [
    '이미 주문을 가져오는 중입니다. 끝난 뒤 다시 시도하세요.',
    '既に注文を取込中です。終了後に再試行してください。',
    'A pull is already running for this shop. Try again when it ends.',
  ],
  'error.SKU_NOT_FOUND': ['SKU를 찾을 수 없습니다.', 'SKUが見つかりません。', 'SKU not found.'],
  'error.RULE_NOT_FOUND': [
    '규칙을 찾을 수 없습니다.',
    'ルールが見つかりません。',
    'Rule not found.',
  ],
  'error.LINE_NOT_FOUND': [
    '그 주문 줄은 이미 연결되었거나 없습니다. 새로고침하세요.',
    'その注文行は既に紐付け済みか存在しません。再読み込みしてください。',
    'That order line is already linked or does not exist. Refresh.',
  ],
  'error.UNKNOWN_SKU_CODE': [
    '그런 SKU 코드가 없습니다. 먼저 SKU를 등록하세요.',
    'そのSKUコードはありません。先にSKUを登録してください。',
    'There is no SKU with that code. Create the SKU first.',
  ],
  'error.CODE_ALREADY_EXISTS': [
    '이미 쓰고 있는 코드입니다. 다른 코드를 입력하세요.',
    '既に使われているコードです。別のコードを入力してください。',
    'That code is already used. Choose another one.',
  ],
  'error.CODE_IN_USE': [
    '세트나 규칙이 쓰고 있어 바꿀 수 없습니다.',
    'セットやルールで使われているため変更できません。',
    'It is used by a bundle or a rule and cannot be changed.',
  ],
  'error.RULE_ALREADY_EXISTS': [
    '같은 상품명·옵션의 규칙이 이미 있습니다.',
    '同じ商品名・オプションのルールが既にあります。',
    'A rule for this item name and option already exists.',
  ],
  'error.IMPORT_REJECTED': [
    '파일에 문제가 있어 아무것도 저장하지 않았습니다. 아래 행을 고쳐 다시 올리세요.',
    'ファイルに問題があるため何も保存していません。以下の行を直して再アップロードしてください。',
    'The file has problems; nothing was stored. Fix the rows below and upload again.',
  ],
  'error.IMPORT_UNREADABLE': [
    '파일을 읽을 수 없습니다. 템플릿으로 만든 .xlsx 또는 UTF-8 .csv인지 확인하세요.',
    'ファイルを読めません。テンプレートから作った.xlsxまたはUTF-8の.csvか確認してください。',
    'The file cannot be read. Use an .xlsx made from the template or a UTF-8 .csv.',
  ],
  'error.FULFILLMENT_ORDER_NOT_FOUND': [
    '출하 지시를 찾을 수 없습니다.',
    '出荷指示が見つかりません。',
    'Fulfillment order not found.',
  ],
  'error.ALREADY_SHIPPED': [
    '다른 내용으로 이미 출하 확정되었습니다.',
    '別の内容で既に出荷確定されています。',
    'It was already confirmed as shipped with other details.',
  ],
  'error.NOT_READY_TO_SHIP': [
    '아직 창고로 보내지 않은 출하 지시입니다. 먼저 [출하지시]하세요.',
    'まだ倉庫に送っていない出荷指示です。先に[出荷指示]してください。',
    'It has not been sent to the warehouse yet. Release it first.',
  ],
  'error.FULFILLMENT_ORDER_CANCELED': [
    '취소된 출하 지시입니다.',
    'キャンセル済みの出荷指示です。',
    'That fulfillment order was canceled.',
  ],
  'error.NOT_RELEASABLE': [
    '출하 완료 또는 취소된 출하 지시는 보낼 수 없습니다.',
    '出荷済みまたはキャンセル済みの出荷指示は送れません。',
    'A shipped or canceled fulfillment order cannot be released.',
  ],
  'error.PAYLOAD_TOO_LARGE': [
    '파일이나 요청이 너무 큽니다.',
    'ファイルまたはリクエストが大きすぎます。',
    'The file or request is too large.',
  ],
  'error.UNSUPPORTED_MEDIA_TYPE': [
    '지원하지 않는 형식입니다.',
    '対応していない形式です。',
    'Unsupported format.',
  ],
  'error.CONFLICT': [
    '다른 변경과 충돌했습니다. 새로고침하세요.',
    '他の変更と競合しました。再読み込みしてください。',
    'It conflicts with another change. Refresh.',
  ],
  'error.TOO_MANY_REQUESTS': [
    '요청이 너무 많습니다. 잠시 후 다시 시도하세요.',
    'リクエストが多すぎます。しばらくして再試行してください。',
    'Too many requests. Try again shortly.',
  ],
  'error.SERVICE_UNAVAILABLE': [
    '서비스가 잠시 응답하지 않습니다. 잠시 후 다시 시도하세요.',
    'サービスが一時的に応答しません。しばらくして再試行してください。',
    'A service is not answering right now. Try again shortly.',
  ],
  'error.INTERNAL': [
    '서버 오류가 발생했습니다. 기록되었습니다. 잠시 후 다시 시도하세요.',
    'サーバーエラーが発生しました（記録済み）。しばらくして再試行してください。',
    'Server error (it has been logged). Try again shortly.',
  ],
  'error.unknown': [
    '처리하지 못했습니다 (코드 {code}).',
    '処理できませんでした（コード {code}）。',
    'That did not work (code {code}).',
  ],

  // Errors: field problems
  'problem.required': ['입력하세요.', '入力してください。', 'is required.'],
  'problem.notUrl': [
    'URL 형식이 아닙니다. https://www.rakuten.ne.jp/<샵 ID> 형식으로 입력하세요.',
    'URLの形式ではありません。https://www.rakuten.ne.jp/<店舗ID> の形式で入力してください。',
    'is not a URL: use https://www.rakuten.ne.jp/<shop ID>.',
  ],
  'problem.wrongHost': [
    '{host}가 아니라 www.rakuten.ne.jp 주소여야 합니다. 예: https://www.rakuten.ne.jp/abcd14231499',
    '{host}ではなくwww.rakuten.ne.jpのURLにしてください。例：https://www.rakuten.ne.jp/abcd14231499',
    'must be on www.rakuten.ne.jp, not {host}, e.g. https://www.rakuten.ne.jp/abcd14231499',
  ],
  'problem.shopMismatch': [
    'URL의 샵 "{url}"이(가) 샵 ID "{id}"와 다릅니다. https://www.rakuten.ne.jp/{id} 를 입력하세요.',
    'URLのショップ「{url}」が店舗ID「{id}」と違います。https://www.rakuten.ne.jp/{id} を入力してください。',
    'names shop "{url}" but the shop ID is "{id}": use https://www.rakuten.ne.jp/{id}',
  ],
  'problem.urlShape': [
    'https://www.rakuten.ne.jp/<샵 ID> 형식이어야 합니다(쿼리, 포트, 추가 경로 없이).',
    'https://www.rakuten.ne.jp/<店舗ID> の形式にしてください（クエリ・ポート・追加パスなし）。',
    'must be exactly https://www.rakuten.ne.jp/<shop ID> (no query, port or extra path).',
  ],
  'problem.shopIdFormat': [
    '영문 소문자, 숫자, 하이픈만 쓸 수 있습니다. 예: abcd14231499',
    '英小文字・数字・ハイフンのみ使えます。例：abcd14231499',
    'may only hold lowercase letters, digits and hyphens, e.g. abcd14231499',
  ],
  'problem.keyFormat': [
    'RMS에 보이는 그대로 붙여 넣으세요(공백 없이 영문, 숫자, 기호).',
    'RMSの表示どおりに貼り付けてください（空白なしの英数字・記号）。',
    'must be pasted exactly as RMS shows it (letters, digits, symbols, no spaces).',
  ],
  'problem.codeFormat': [
    '공백 없는 영문, 숫자, 기호 1–200자여야 합니다. 예: TEE001-M-BK',
    '空白なしの英数字・記号1〜200文字にしてください。例：TEE001-M-BK',
    'must be 1–200 letters, digits or symbols without spaces, e.g. TEE001-M-BK',
  ],
  'problem.variantId': [
    'Rakuten SKU管理番号(영문, 숫자, _, - 1–40자)여야 합니다.',
    '楽天のSKU管理番号（英数字・_・- 1〜40文字）にしてください。',
    'must be a Rakuten SKU管理番号 (1–40 of letters, digits, _ and -).',
  ],
  'problem.carrier': [
    'Rakuten 배송회사 코드 목록에서 고르세요.',
    '楽天の配送会社コード一覧から選んでください。',
    "must be one of Rakuten's carrier codes.",
  ],
  'problem.trackingDuplicate': [
    '같은 송장번호가 두 번 있습니다.',
    '同じ伝票番号が2回あります。',
    'lists the same tracking number twice.',
  ],
  'problem.trackingFormat': [
    '송장번호는 공백 없는 영문, 숫자, 기호여야 합니다.',
    '伝票番号は空白なしの英数字・記号にしてください。',
    'each tracking number must be letters, digits or symbols without spaces.',
  ],
  'problem.tooMany': [
    '{n}개까지 입력할 수 있습니다.',
    '{n}個まで入力できます。',
    'at most {n} entries.',
  ],
  'problem.tooFew': [
    '하나 이상 입력하세요.',
    '1つ以上入力してください。',
    'needs at least one entry.',
  ],
  'problem.tooLong': [
    '{n}자 이하로 입력하세요.',
    '{n}文字以内で入力してください。',
    'must be at most {n} characters.',
  ],
  'problem.min': ['{n} 이상이어야 합니다.', '{n}以上にしてください。', 'must be at least {n}.'],
  'problem.max': ['{n} 이하여야 합니다.', '{n}以下にしてください。', 'must be at most {n}.'],
  'problem.integer': ['정수를 입력하세요.', '整数を入力してください。', 'must be a whole number.'],
  'problem.boolean': [
    '켜짐/꺼짐 값이어야 합니다.',
    'オン／オフの値にしてください。',
    'must be on or off.',
  ],
  'problem.uuid': ['올바른 ID가 아닙니다.', '正しいIDではありません。', 'is not a valid id.'],
  'problem.date': [
    'YYYY-MM-DD 형식의 날짜(오늘 또는 이전)를 입력하세요.',
    'YYYY-MM-DD形式の日付（今日以前）を入力してください。',
    'must be a date YYYY-MM-DD, today or earlier.',
  ],
  'problem.unknownField': ['알 수 없는 항목입니다.', '不明な項目です。', 'is not a known field.'],
  'problem.file': [
    '업로드할 파일을 고르세요.',
    'アップロードするファイルを選んでください。',
    'choose a file to upload.',
  ],
  'problem.duplicate': [
    '파일 안에서 중복되었습니다.',
    'ファイル内で重複しています。',
    'is repeated in the file.',
  ],
  'problem.noRows': [
    '데이터 행이 없습니다.',
    'データ行がありません。',
    'the file has no data rows.',
  ],
  'problem.other': ['값이 올바르지 않습니다.', '値が正しくありません。', 'is not valid.'],

  // Field names the gateway's errors name
  'field.shopId': ['쇼핑몰 샵 ID', 'ショップID', 'Shop ID'],
  'field.shopUrl': ['샵 URL', 'ショップURL', 'Shop URL'],
  'field.serviceSecret': ['서비스 Secret Key', 'serviceSecret', 'Service secret'],
  'field.licenseKey': ['License Key', 'ライセンスキー', 'License key'],
  'field.licenseKeyIssuedAt': [
    'License Key 발급일',
    'ライセンスキー発行日',
    'Licence key issue date',
  ],
  'field.options': ['옵션', 'オプション', 'Options'],
  'field.autoOrderSync': ['자동 주문 연동', '自動注文連携', 'Automatic order sync'],
  'field.autoOrderConfirm': ['자동 주문 확인', '自動注文確認', 'Automatic order confirmation'],
  'field.autoFulfillmentDispatch': [
    '자동 풀필먼트 출하지시',
    '自動フルフィルメント出荷指示',
    'Automatic fulfillment dispatch',
  ],
  'field.enabled': ['사용 여부', '有効／無効', 'Enabled'],
  'field.code': ['코드', 'コード', 'Code'],
  'field.name': ['이름', '名前', 'Name'],
  'field.barcode': ['바코드', 'バーコード', 'Barcode'],
  'field.sellerCode': ['판매자 정의 코드', '販売者定義コード', 'Seller code'],
  'field.variantId': ['Rakuten SKU管理番号', '楽天 SKU管理番号', 'Rakuten SKU管理番号'],
  'field.components': ['세트 구성', 'セット構成', 'Bundle contents'],
  'field.skuCode': ['SKU 코드', 'SKUコード', 'SKU code'],
  'field.quantity': ['수량', '数量', 'Quantity'],
  'field.itemName': ['Rakuten 상품명', '楽天の商品名', 'Rakuten item name'],
  'field.optionText': ['옵션 값', 'オプション値', 'Option text'],
  'field.carrierCode': ['배송회사', '配送会社', 'Carrier'],
  'field.trackingNumbers': ['송장번호', '伝票番号', 'Tracking numbers'],
  'field.shippingDate': ['발송일', '発送日', 'Shipping date'],
  'field.onHand': ['실재고', '実在庫', 'On hand'],
  'field.note': ['메모', 'メモ', 'Note'],
  'field.orderNumber': ['주문번호', '注文番号', 'Order number'],
  'field.itemDetailId': ['주문 줄', '注文行', 'Order line'],
  'field.file': ['파일', 'ファイル', 'File'],
  'field.search': ['검색어', '検索語', 'Search'],
  'field.limit': ['표시 개수', '表示件数', 'Page size'],
  'field.id': ['ID', 'ID', 'Id'],
  'field.item': ['{n}번째', '{n}番目', 'no. {n}'],
} as const satisfies Record<string, readonly [string, string, string]>;

export type MessageKey = keyof typeof TEXTS;
export type Params = Record<string, string | number>;

const INDEX: Record<Lang, 0 | 1 | 2> = { ko: 0, ja: 1, en: 2 };

/** The text of `key` in `lang` with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text: string = TEXTS[key][INDEX[lang]];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether a key exists (for texts chosen by a code the server sends). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(TEXTS, key);
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}
