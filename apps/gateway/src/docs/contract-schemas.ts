import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  PackingSlipSenderInput,
  RakutenKeysInput,
  RAKUTEN_SHOP_URL_EXAMPLE,
  RegisterRakutenShopBody,
  RenewCredentialsBody,
  ShopFulfillmentSettingsBody,
  ShopOptionsInput,
  StartBackfillBody,
  UpdateShopBody,
} from '@smartship/contracts';
import { getMetadataStorage } from 'class-validator';

/*
 * OpenAPI schemas of the contract classes. The contracts lib may not import Nest, so the
 * classes carry no @ApiProperty; this file adds it to their prototypes. Types, required-ness,
 * lengths and patterns are read from the classes' own class-validator rules, so the document
 * cannot drift from what is validated; only descriptions and examples are written here.
 */

interface PropertyDoc {
  description: string;
  example?: unknown;
  /** For nested objects: the class of the value. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  type?: () => Function;
}

type ContractClass = abstract new (...args: never[]) => object;

let documented = false;

/** Adds the schemas once, before SwaggerModule.createDocument reads them. */
export function documentContractSchemas(): void {
  if (documented) return;
  documented = true;
  // Parents first: a subclass's property list starts from its parent's at decoration time.
  document(ShopOptionsInput, {
    autoOrderSync: {
      description: 'Pull new orders on the schedule (자동 주문 연동). Default on.',
      example: true,
    },
    autoOrderConfirm: {
      description: 'Confirm new orders on Rakuten without a person. Default off.',
      example: false,
    },
    autoFulfillmentDispatch: {
      description: 'Send mapped orders to the warehouse at once. Default off.',
      example: false,
    },
    pollIntervalMinutes: {
      description:
        "Minutes between two scheduled polls of this shop, 1–60; null (or never set) uses the platform's interval (5 minutes by default).",
      example: 10,
    },
  });
  document(RakutenKeysInput, {
    serviceSecret: {
      description:
        'serviceSecret from RMS > WEB APIサービス. Surrounding spaces and line breaks are removed. Stored encrypted; never shown again.',
      example: 'SP000000_aBcDeFgHiJkLmNoP',
    },
    licenseKey: {
      description:
        'licenseKey from RMS (valid 90 days). Stored encrypted; shown afterwards as its last 4 characters only.',
      example: 'SL000000_qRsTuVwXyZ012345',
    },
    licenseKeyIssuedAt: {
      description:
        'When RMS issued the licence key (ISO-8601 with offset). Used for the expiry date when it cannot be read from Rakuten; without it, now + 90 days.',
      example: '2025-11-20T10:00:00+09:00',
    },
  });
  document(RegisterRakutenShopBody, {
    shopId: {
      description:
        'Rakuten shop ID (seller ID) as in the shop URL: lowercase letters, digits, hyphens.',
      example: 'abcd14231499',
    },
    shopUrl: {
      description:
        'Shop URL, https://www.rakuten.ne.jp/<shop ID> (the www.rakuten.co.jp form is accepted and normalised). It must name the same shop ID.',
      example: RAKUTEN_SHOP_URL_EXAMPLE,
    },
    options: {
      description: 'API connection options; omitted ones take their defaults.',
      type: () => ShopOptionsInput,
    },
  });
  document(RenewCredentialsBody, {});
  document(StartBackfillBody, {
    from: {
      description:
        'Start of the range: a date YYYY-MM-DD (00:00 JST) or an ISO-8601 date-time with offset; at most 730 days back.',
      example: '2025-06-01',
    },
    to: {
      description:
        'End of the range: a date YYYY-MM-DD (the end of that JST day; today means now) or an ISO-8601 date-time, not in the future, later than from.',
      example: '2025-12-01',
    },
  });
  documentFulfillmentSettings();
  document(UpdateShopBody, {
    options: {
      description: 'Options to change; omitted ones stay as they are.',
      type: () => ShopOptionsInput,
    },
    enabled: {
      description: 'false pauses every scheduled call for the shop; true resumes.',
      example: true,
    },
  });
}

/** `PUT /shops/:shopId/fulfillment-settings`. */
function documentFulfillmentSettings(): void {
  document(PackingSlipSenderInput, {
    name: {
      description:
        'Shop or company name printed as ご依頼主 on the label and on the packing slip (納品書). Surrounding spaces are removed.',
      example: 'スマートシップ雑貨店',
    },
    zipCode: { description: 'Postal code NNN-NNNN.', example: '150-0001' },
    prefecture: { description: 'Prefecture.', example: '東京都' },
    city: { description: 'City, ward, town or village.', example: '渋谷区' },
    subAddress: {
      description: 'Rest of the address.',
      example: '神宮前1-2-3 スマートシップビル5F',
    },
    phone: { description: 'Phone number, digits and hyphens.', example: '03-1234-5678' },
    message: {
      description: 'A line printed under the totals of every packing slip (≤ 500 characters).',
      example: 'この度はご注文ありがとうございました。',
    },
  });
  document(ShopFulfillmentSettingsBody, {
    splitPolicy: {
      description:
        'What happens to a package only partly in stock: hold (default) keeps it whole until every line has stock; ship_available sends the lines in stock now (whole lines, never cut) and the rest as a back order of the same package when stock arrives. A cash-on-delivery package never splits.',
      example: 'ship_available',
    },
    sender: {
      description:
        "The packing slip's sender block; null or absent: the label and slip name the orderer. Replaces the one stored.",
      type: () => PackingSlipSenderInput,
    },
  });
}

function document(cls: ContractClass, docs: Record<string, PropertyDoc>): void {
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  for (const [property, doc] of Object.entries(docs)) {
    const own = rules.filter((rule) => rule.propertyName === property);
    if (own.length === 0) throw new Error(`${cls.name}.${property} has no validation rules`);
    const options: ApiPropertyOptions = {
      description: doc.description,
      example: doc.example,
      required: !own.some((rule) => rule.type === 'conditionalValidation'),
    };
    const schema = options as Record<string, unknown>;
    for (const rule of own) {
      const constraints = (rule.constraints ?? []) as unknown[];
      switch (rule.name) {
        case 'isString':
          schema.type = String;
          break;
        case 'isBoolean':
          schema.type = Boolean;
          break;
        case 'isInt':
          schema.type = 'integer';
          break;
        case 'min':
          schema.minimum = constraints[0];
          break;
        case 'max':
          schema.maximum = constraints[0];
          break;
        case 'isNotEmpty':
          schema.minLength = 1;
          break;
        case 'maxLength':
          schema.maxLength = constraints[0];
          break;
        case 'matches':
          schema.pattern = (constraints[0] as RegExp).source;
          break;
        case 'isIsoDateTime':
          schema.type = String;
          schema.format = 'date-time';
          break;
        case 'isIn':
          schema.enum = constraints[0];
          break;
      }
    }
    if (doc.type) schema.type = doc.type;
    ApiProperty(options)(cls.prototype as object, property);
  }
}
