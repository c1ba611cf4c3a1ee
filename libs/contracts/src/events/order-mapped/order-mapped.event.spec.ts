import { validateData } from '../../codec';
import { exampleOrderMappedData } from '../../examples';
import { TOPICS } from '../../topics';

describe('order.mapped data', () => {
  it('accepts a bundle line resolved to several SKUs with a rule id', () => {
    const data = exampleOrderMappedData();
    data.order.packages[0].lines[0].resolution = {
      skus: [
        { skuCode: 'CUP', quantity: 2 },
        { skuCode: 'SAUCER', quantity: 2 },
      ],
      matchedBy: 'name_rule',
      ruleId: 'rule-1',
    };
    expect(() => validateData(TOPICS.ORDER_MAPPED, data)).not.toThrow();
  });

  it('requires a resolution with at least one SKU on every line', () => {
    const data = exampleOrderMappedData({ linesPerPackage: 2 });
    data.order.packages[0].lines[1].resolution.skus = [];
    expect(() => validateData(TOPICS.ORDER_MAPPED, data)).toThrow(
      'data.order.packages.0.lines.1.resolution.skus: skus must contain at least 1 elements',
    );
  });

  it('refuses an unknown matchedBy', () => {
    const data = exampleOrderMappedData();
    (data.order.packages[0].lines[0].resolution as { matchedBy: string }).matchedBy = 'guess';
    expect(() => validateData(TOPICS.ORDER_MAPPED, data)).toThrow(
      /data\.order\.packages\.0\.lines\.0\.resolution\.matchedBy: matchedBy must be one of/,
    );
  });
});
