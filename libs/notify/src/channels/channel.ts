import type { EntityManager } from 'typeorm';
import type { NotificationTopic } from '@mekong/contracts';

/** What a channel delivers: one notification to one recipient, in Vietnamese and English. */
export interface OutgoingNotification {
  readonly id: string;
  /** What it is about (the shared contract's NotificationTopic; the in-app payload carries it). */
  readonly topic: NotificationTopic;
  /** `Patient/…`, `Practitioner/…` or `RelatedPerson/…`. */
  readonly recipient: string;
  /** The patient the notification is about (a guardian may receive a child's). */
  readonly subject?: string;
  /** The resource it concerns, e.g. `Appointment/…`. */
  readonly about?: string;
  readonly title: string;
  readonly text: { readonly vi: string; readonly en: string };
  /** A single-use action link (confirm or cancel an appointment) the message may carry: no health data. */
  readonly link?: string;
  /** The recipient's language, when their preferences name one (channels default to Vietnamese). */
  readonly language?: 'vi' | 'en';
  /** Where to reach the recipient outside the app (phone, email from their FHIR telecom). */
  readonly contact?: { readonly phone?: string; readonly email?: string };
  /** The Communication in the record that holds this notification. */
  readonly communication?: string;
  readonly createdAt: string;
}

/**
 * What a delivery came to, when not simply delivered: `submitted` — a gateway accepted it and
 * will report the outcome later (an SMS delivery receipt); `delivered` — handed over for good;
 * `refused` — it can never be delivered (an invalid number, an opt-out): recorded with the reason
 * and not retried. `sent` is the text that went out (kept in the delivery's Communication).
 */
export type DeliveryOutcome =
  | { readonly status: 'submitted'; readonly sent?: string }
  | { readonly status: 'delivered'; readonly sent?: string }
  | { readonly status: 'refused'; readonly reason: string };

/**
 * A delivery channel (in-app, webhook, SMS over SMPP; Zalo and email plug in here). `deliver`
 * throws to ask for a retry; the job queue retries with backoff.
 */
export interface NotificationChannel {
  readonly name: string;
  /** False when the channel is not configured or cannot reach this recipient. */
  accepts(n: OutgoingNotification): boolean;
  deliver(n: OutgoingNotification): Promise<void | DeliveryOutcome>;
  /**
   * After a `submitted` outcome is recorded, in the same transaction (the delivery row locked):
   * applies what the gateway reported meanwhile (an SMS receipt that overtook the job's finish).
   */
  settle?(em: EntityManager, notificationId: string): Promise<void>;
}

export const NOTIFICATION_CHANNELS = Symbol('NOTIFICATION_CHANNELS');
