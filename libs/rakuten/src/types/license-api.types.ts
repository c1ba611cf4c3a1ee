/**
 * Response of `GET /es/1.0/license-management/license-key/expiry-date?licenseKey=…`
 * (LicenseManagementAPI, docs/rakuten-rms.md §1.2).
 */
export interface LicenseExpiryResponse {
  /** When the key stops working, JST date-time (`+0900` in the simulator; RMS format [M]). */
  expiryDate: string;
}
