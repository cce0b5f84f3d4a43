/**
 * Tells people about changes to their sign-in: provided by the notify context (in-app notification
 * kept in the patient's record as a Communication). Absent (deployed apart), the change is still in
 * the auth events.
 */
export const ACCOUNT_NOTICES = Symbol('ACCOUNT_NOTICES');

export interface AccountNotices {
  /** The patient's password was reset at `facility` (`Organization/ID`); `resetId` identifies the reset (once). */
  passwordReset(patientId: string, facility: string, resetId: string): Promise<void>;
}
