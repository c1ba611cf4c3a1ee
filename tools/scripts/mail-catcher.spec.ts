import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTransport } from 'nodemailer';

import { startMailCatcher, type MailCatcher } from './mail-catcher';

let dir: string;
let catcher: MailCatcher;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mail-catcher-'));
  catcher = await startMailCatcher({ port: 0, dir });
});

afterAll(async () => {
  await catcher.close();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps what nodemailer sends over SMTP: raw message, HTML part and an index line', async () => {
  const transport = createTransport({ host: '127.0.0.1', port: catcher.port, secure: false });
  await transport.sendMail({
    from: 'Smartship <alerts@smartship.local>',
    to: ['owner@example.jp', 'staff@example.jp'],
    subject: 'ライセンスキーの期限が近づいています',
    text: '14日後に期限が切れます。',
    html: '<p>14日後に期限が切れます。</p>',
    messageId: '<delivery-1@smartship>',
  });
  transport.close();

  const mail = await catcher.waitFor((m) => m.messageId === '<delivery-1@smartship>', 10_000);
  expect(mail).toMatchObject({
    n: 1,
    from: 'alerts@smartship.local',
    to: ['owner@example.jp', 'staff@example.jp'],
    subject: 'ライセンスキーの期限が近づいています',
  });
  expect(mail.text).toContain('14日後');
  expect(readFileSync(mail.file, 'utf8')).toContain('Message-ID: <delivery-1@smartship>');
  expect(existsSync(mail.file.replace(/\.eml$/, '.html'))).toBe(true);
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8').trim().split('\n');
  expect(index.map((line) => JSON.parse(line).subject)).toEqual([mail.subject]);
});

it('rejects a wait that nothing matches, after its time', async () => {
  await expect(catcher.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(
    'no matching e-mail within 200 ms',
  );
});
