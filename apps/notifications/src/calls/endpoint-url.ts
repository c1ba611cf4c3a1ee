import { InvalidCallError } from '@smartship/service-kit';

import {
  AddressGuard,
  InternalAddressError,
  UnresolvableHostError,
} from '../delivery/address-guard';

/**
 * Checks a webhook URL when it is saved: https, no user name or password in it, and a host
 * that resolves to public addresses only (or is allowed by the operator). Refusals are a 400
 * naming `url`. The same check runs again before every delivery.
 */
export async function checkEndpointUrl(guard: AddressGuard, url: string): Promise<void> {
  const refuse = (problem: string): never => {
    throw new InvalidCallError([{ field: 'url', problems: [`url ${problem}`] }]);
  };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('must be a valid https:// URL');
  }
  if (parsed.protocol !== 'https:') refuse('must use https');
  if (parsed.username || parsed.password) refuse('must not contain a user name or password');
  try {
    await guard.vet(parsed.hostname);
  } catch (error) {
    if (error instanceof InternalAddressError || error instanceof UnresolvableHostError) {
      refuse(`is refused: ${error.message}`);
    }
    throw error;
  }
}
