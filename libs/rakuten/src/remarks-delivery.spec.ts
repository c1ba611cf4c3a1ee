import { parseRemarksDelivery } from './remarks-delivery';

/*
 * The `[配送日時指定:]` block as RMS writes it into OrderModel.remarks (docs/rakuten-rms.md §4.9):
 * shapes seen in public payloads and integrators' tests, and text a buyer may add around it.
 */
describe('parseRemarksDelivery', () => {
  it.each([
    ['date and time', '[配送日時指定:]\n2025-03-05(水)\n午前中', '2025-03-05', '午前中'],
    [
      'then a blank line and the buyer comment',
      '[配送日時指定:]\n2025-03-05(水)\n14:00～16:00\n\n[備考:]\n午前中は不在です',
      '2025-03-05',
      '14:00～16:00',
    ],
    ['kanji hours', '[配送日時指定:]\n2025-03-05(水)\n14時～16時', '2025-03-05', '14時～16時'],
    [
      'full-width colon and wave dash (an integrator test from real data)',
      '[配送日時指定:]\n2012-11-01(木)\n18：00〜20：00',
      '2012-11-01',
      '18：00〜20：00',
    ],
    ['time only, no date line', '[配送日時指定:]\n18：00〜20：00', null, '18：00〜20：00'],
    ['time only, empty date line', '[配送日時指定:]\n\n午前中', null, '午前中'],
    [
      'date only, empty time line',
      '[配送日時指定:]\n2025-03-05(水)\n\n[備考:]\nx',
      '2025-03-05',
      null,
    ],
    [
      'an empty block, then the buyer comment',
      '[配送日時指定:]\n\n\n\n[備考:]\n午前中に電話ください',
      null,
      null,
    ],
    ['an empty block, then another header', '[配送日時指定:]\n\n[備考:]\n午前中', null, null],
    ['date only', '[配送日時指定:]\n2012-11-01(木)', '2012-11-01', null],
    ['date 指定なし, then a time', '[配送日時指定:]\n指定なし\n午前中', null, '午前中'],
    ['date given, time 指定なし', '[配送日時指定:]\n2025-03-05(水)\n指定なし', '2025-03-05', null],
    ['an empty block (a 2018 payload)', '[配送日時指定:]\n\n', null, null],
    ['the header alone', '[配送日時指定:]', null, null],
    ['CRLF line ends', '[配送日時指定:]\r\n2025-03-05(水)\r\n午前中\r\n', '2025-03-05', '午前中'],
    ['a full-width colon in the header', '[配送日時指定：]\n2025/3/5\n午後', '2025-03-05', '午後'],
    [
      'Japanese date form',
      '[配送日時指定:]\n2025年3月5日（水）\n19時-21時',
      '2025-03-05',
      '19時-21時',
    ],
    [
      'full-width digits',
      '[配送日時指定:]\n２０２５－０３－０５(水)\n午前中',
      '2025-03-05',
      '午前中',
    ],
    ['date and time on one line', '[配送日時指定:]\n2025-03-05(水) 午前中', '2025-03-05', '午前中'],
    ['an impossible date', '[配送日時指定:]\n2025-02-30(日)\n午前中', null, '午前中'],
    [
      'free text right after the date (no time)',
      '[配送日時指定:]\n2025-03-05(水)\n領収書希望',
      '2025-03-05',
      null,
    ],
    [
      'free text right after the time (an integrator test)',
      '[配送日時指定:]\n2012-11-01(木)\n18：00〜20：00\n領収書希望',
      '2012-11-01',
      '18：00〜20：00',
    ],
    [
      'another block first',
      '[離島一部地域の配送料金について:]\n※追加送料がかかります。\n\n[配送日時指定:]\n2025-03-05(水)\n最終便(19：00以降)',
      '2025-03-05',
      '最終便(19：00以降)',
    ],
    ['markup instead of a time', '[配送日時指定:]\n<script>alert(1)</script>', null, null],
    ['the next block right away', '[配送日時指定:]\n[備考:]\n午前中', null, null],
  ])('%s', (_title, remarks, date, time) => {
    expect(parseRemarksDelivery(remarks)).toEqual({ date, time });
  });

  it('is null without a block, for empty remarks and for anything not a string', () => {
    for (const remarks of [
      null,
      undefined,
      '',
      '[備考:]\nよろしくお願いします',
      '配送日時指定: 2025-03-05',
      42,
    ]) {
      expect(parseRemarksDelivery(remarks)).toBeNull();
    }
  });

  it('never throws and stays fast on hostile text', () => {
    const texts = [
      '[配送日時指定:]' + ' '.repeat(100_000) + 'x',
      '[配送日時指定:]\n' + '2025-'.repeat(20_000),
      '[配送日時指定:]\n' + '1'.repeat(50_000) + ':00',
      '\uD800[配送日時指定:]\n\uDFFF',
      '[' + '['.repeat(50_000) + '配送日時指定:]',
    ];
    const started = Date.now();
    for (const text of texts) expect(() => parseRemarksDelivery(text)).not.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps a time of at most 60 characters (longer lines are the buyer talking)', () => {
    expect(parseRemarksDelivery(`[配送日時指定:]\n${'午前中'.repeat(30)}`)).toEqual({
      date: null,
      time: null,
    });
  });
});
