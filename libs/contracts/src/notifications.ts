/** The in-app notifications socket (`/notifications`, docs/notifications.md). */

/** What a notification is about (the portal words each kind in its user's language). */
export type NotificationTopic =
  | 'account-security'
  | 'appointment-cancelled'
  | 'appointment-reminder'
  | 'break-glass'
  | 'econsult'
  | 'immunization-reminder'
  | 'news2-alert'
  | 'news2-alert-escalation'
  | 'waitlist-offer';

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
