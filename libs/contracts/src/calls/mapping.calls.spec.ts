import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { CreateSkuBody, UpdateSkuBody } from './mapping.calls';

const problems = (cls: new () => object, body: object) =>
  validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true }).map(
    (error) => error.property,
  );

describe('SKU bodies', () => {
  it('a new SKU needs its name, although a change may leave it out (found by the gateway fuzz test)', () => {
    expect(problems(CreateSkuBody, { code: 'MUG', sellerCode: 'mug' })).toEqual(['name']);
    expect(problems(CreateSkuBody, { code: 'MUG', name: null })).toEqual(['name']);
    expect(problems(CreateSkuBody, { code: 'MUG', name: 'マグ' })).toEqual([]);
    expect(problems(UpdateSkuBody, { sellerCode: 'mug' })).toEqual([]);
  });
});
