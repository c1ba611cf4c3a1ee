import { randomBytes } from 'node:crypto';

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks' format). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What the console shows instead of the secret: `whsec_…abcd`. */
export function secretHint(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

/** Binds a sealed secret to its endpoint, so a ciphertext copied to another row does not open. */
export function webhookSecretPurpose(endpointId: string): string {
  return `webhook:${endpointId}:secret`;
}
