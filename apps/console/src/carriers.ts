import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts/constants';

/** Rakuten's delivery company codes (配送会社コード) with their names, for the shipping form. */
export const CARRIERS: Readonly<Record<string, string>> = RAKUTEN_CARRIER_CODES;
