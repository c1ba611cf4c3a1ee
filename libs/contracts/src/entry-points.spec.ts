import * as everything from './index';
import * as calls from './calls/index';
import * as constants from './constants/index';
import * as events from './events/index';

/*
 * The contracts split by audience: a consumer of events imports `@smartship/contracts/events`,
 * the gateway and the services' call handlers `@smartship/contracts/calls`, the console
 * `@smartship/contracts/constants`; the root still has everything.
 */
describe('contracts entry points', () => {
  it('events: the codec, event types and topics, and none of the calls', () => {
    expect(events).toHaveProperty('createEvent');
    expect(events).toHaveProperty('decodeEvent');
    expect(events).toHaveProperty('TOPICS');
    expect(events).toHaveProperty('ContractViolationError');
    for (const name of Object.keys(events)) expect(calls).not.toHaveProperty(name);
  });

  it('calls: the call classes, their patterns and the DTO decorators, and no codec', () => {
    expect(calls).toHaveProperty('SHOP_CALLS');
    expect(calls).toHaveProperty('PullShopCall');
    expect(calls).toHaveProperty('IsNonEmptyString');
    expect(calls).not.toHaveProperty('createEvent');
    expect(calls).not.toHaveProperty('decodeEvent');
  });

  it('the root exports every name of the three', () => {
    const all = new Set(Object.keys(everything));
    const missing = [events, calls, constants]
      .flatMap((entry) => Object.keys(entry))
      .filter((name) => !all.has(name));
    expect(missing).toEqual([]);
  });
});
