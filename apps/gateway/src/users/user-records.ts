import type { TenantRole } from '../access/principal';

export type UserRole = TenantRole | 'operator';

/** A row of gateway.users as the stores read it. */
export interface UserRow {
  id: string;
  tenant_id: string | null;
  email: string;
  password_hash: string;
  role: UserRole;
  totp_key_id: string | null;
  totp_secret_sealed: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
  disabled_at: Date | null;
  created_at: Date;
  password_changed_at: Date;
}

/** A person as the API shows them (never a hash or a secret). */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  tenantId: string | null;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    tenantId: row.tenant_id,
    totpEnabled: row.totp_enabled_at !== null,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

/** The columns of a UserRow, read from the table aliased `alias`. */
export function userColumns(alias = 'users'): string {
  const a = alias;
  return `${a}.id, ${a}.tenant_id, ${a}.email, ${a}.password_hash, ${a}.role, ${a}.totp_key_id,
    ${a}.totp_secret_sealed, ${a}.totp_enabled_at, ${a}.totp_last_step::text AS totp_last_step,
    ${a}.disabled_at, ${a}.created_at, ${a}.password_changed_at`;
}

/** E-mails are compared trimmed and lower-cased (the stored one keeps the person's spelling). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
