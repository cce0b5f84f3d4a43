/** The in-app notifications socket (`/notifications`, docs/notifications.md). */

/** What a notification is about (the portal words each kind in its user's language). */
export type NotificationTopic =
  | 'account-security'
  | 'appointment-booked'
  | 'appointment-cancelled'
  | 'appointment-reminder'
  | 'break-glass'
  | 'e-prescription'
  | 'econsult'
  | 'immunization-reminder'
  | 'news2-alert'
  | 'news2-alert-escalation'
  | 'waitlist-offer';

/** Every topic, for validation (the type above is the contract; this list must name each once). */
export const NOTIFICATION_TOPICS: readonly NotificationTopic[] = [
  'account-security',
  'appointment-booked',
  'appointment-cancelled',
  'appointment-reminder',
  'break-glass',
  'e-prescription',
  'econsult',
  'immunization-reminder',
  'news2-alert',
  'news2-alert-escalation',
  'waitlist-offer',
];

/** The channels that reach a person outside the app, in the order a person may choose. */
export type PersonChannel = 'sms' | 'email' | 'zalo';
export const PERSON_CHANNELS: readonly PersonChannel[] = ['sms', 'email', 'zalo'];

/** A person's opt-out of one kind of message on one channel (a STOP/HUY reply, or set through the API). */
export interface NotificationOptOut {
  channel: PersonChannel;
  topic: NotificationTopic;
  /** `STOP`/`HUY` as replied, or `api`. */
  via: string;
  at: string;
}

/**
 * GET/PUT /notify/preferences (docs/notifications.md): who gets what, how. Channels are tried in
 * order (the next when one fails or is not confirmed in time); the in-app inbox always gets it.
 * Quiet hours 21:00–07:00 Asia/Ho_Chi_Minh hold back all but urgent messages. Zalo only with the
 * person's explicit opt-in (a third party processing health-related data).
 */
export interface NotificationPreferences {
  /** `Patient/…` or `RelatedPerson/…` (a guardian). */
  person: string;
  channels: PersonChannel[];
  language?: 'vi' | 'en';
  quietHours: boolean;
  zaloOptIn: boolean;
  optOuts: NotificationOptOut[];
  /** Absent: never set (the defaults). */
  updatedAt?: string;
}

/** PUT /notify/preferences: what to change (absent fields stay); `optOuts` replaces the list. */
export interface NotificationPreferencesUpdate {
  person: string;
  channels?: PersonChannel[];
  language?: 'vi' | 'en';
  quietHours?: boolean;
  zaloOptIn?: boolean;
  optOuts?: { channel: PersonChannel; topic: NotificationTopic }[];
}

/** The payload of the `notification` event. */
export interface InAppNotification {
  id: string;
  topic: NotificationTopic;
  /** `Patient/…`, `Practitioner/…` or `RelatedPerson/…`. */
  recipient: string;
  /** The patient it is about (a guardian may receive a child's). */
  subject?: string;
  /** The resource it concerns, e.g. `Appointment/…`. */
  about?: string;
  title: string;
  text: { vi: string; en: string };
  /** The Communication in the record that holds it. */
  communication?: string;
  createdAt: string;
}

/** What the server pushes on `/notifications`, by event name. */
export interface NotificationEvents {
  ready: { rooms: string[] };
  error: { code: string; message: string };
  notification: InAppNotification;
}
