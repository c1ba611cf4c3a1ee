/** The internal services the gateway calls, and the config variable holding each one's address. */
export const INTERNAL_SERVICES = {
  credentials: 'CREDENTIALS_TCP',
  ingestion: 'INGESTION_TCP',
  mapping: 'MAPPING_TCP',
  fulfillment: 'FULFILLMENT_TCP',
  notifications: 'NOTIFICATIONS_TCP',
} as const;

export type InternalService = keyof typeof INTERNAL_SERVICES;

/** Injection token of a service's ClientProxy. */
export function clientToken(service: InternalService): string {
  return `${service.toUpperCase()}_CLIENT`;
}
