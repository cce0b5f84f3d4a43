/** Account roles (API.md "Auth"). `system` is the role of an OAuth client (client_credentials). */
export const ACCOUNT_ROLES = ['patient', 'practitioner', 'clinic-staff', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Who a signed-in principal is (the token's `role` claim). */
export type Role = AccountRole | 'system';
