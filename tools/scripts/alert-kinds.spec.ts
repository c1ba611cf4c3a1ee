import { NOTIFICATION_KINDS } from '@smartship/contracts';

import { ALERT_KINDS } from './alert-kinds';

it('lists exactly the alert kinds of the contracts', () => {
  expect([...ALERT_KINDS].sort()).toEqual([...NOTIFICATION_KINDS].sort());
});
