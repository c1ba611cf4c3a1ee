import { validateData } from '../codec';
import {
  exampleOrderCanceledData,
  exampleOrderMappedData,
  exampleOrderPulledData,
} from '../examples';
import { orderRevision } from '../models/order.model';
import { TOPICS } from '../topics';

/** The three order events that carry an order revision, with example data of a revision. */
const REVISED = [
  [TOPICS.ORDER_PULLED, (revision?: number) => exampleOrderPulledData({ revision })],
  [TOPICS.ORDER_MAPPED, (revision?: number) => exampleOrderMappedData({ revision })],
  [TOPICS.ORDER_CANCELED, (revision?: number) => exampleOrderCanceledData({ revision })],
] as const;

describe.each(REVISED)('%s revision', (topic, example) => {
  it('is optional and, when given, a whole number from 1 to 1,000', () => {
    expect(() => validateData(topic, example())).not.toThrow();
    expect(validateData(topic, example(1)).revision).toBe(1);
    expect(validateData(topic, example(1_000)).revision).toBe(1_000);
  });

  it.each([
    [0, 'revision must not be less than 1'],
    [1_001, 'revision must not be greater than 1000'],
    [1.5, 'revision must be an integer number'],
  ])('refuses %p, naming the field', (revision, problem) => {
    expect(() => validateData(topic, example(revision))).toThrow(`data.revision: ${problem}`);
  });

  it('refuses a revision written as a string', () => {
    const data = { ...example(), revision: '2' };
    expect(() => validateData(topic, data)).toThrow(/data\.revision: revision must be an integer/);
  });
});

describe('orderRevision', () => {
  it('is the event’s revision, or 1 when it carries none', () => {
    expect(orderRevision(exampleOrderCanceledData())).toBe(1);
    expect(orderRevision(exampleOrderCanceledData({ revision: 3 }))).toBe(3);
    expect(orderRevision(exampleOrderPulledData({ revision: 2 }))).toBe(2);
  });
});
