import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { createHmac } from 'node:crypto';
import type { NotificationChannel, OutgoingNotification } from './channel';

/**
 * POSTs each notification as JSON to NOTIFY_WEBHOOK_URL (an SMS/Zalo/email gateway of the
 * hospital), signed: `X-Mekong-Signature: sha256=<hex HMAC of the body with NOTIFY_WEBHOOK_SECRET>`
 * and `X-Mekong-Delivery: <notification id>` (receivers deduplicate on it). Non-2xx is retried.
 */
@Injectable()
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook';
  private readonly url?: string;
  private readonly secret?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.url = config.scheduling.webhookUrl;
    this.secret = config.scheduling.webhookSecret;
  }

  accepts(): boolean {
    return this.url !== undefined;
  }

  async deliver(n: OutgoingNotification): Promise<void> {
    if (!this.url) return;
    // A patient's single-use action link is theirs alone: never handed to a facility's system.
    const body = JSON.stringify({ ...n, link: undefined }); // JSON leaves undefined out
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Mekong-Delivery': n.id,
      'User-Agent': 'MekongHealth-Notify/1',
    };
    if (this.secret)
      headers['X-Mekong-Signature'] =
        `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    const res = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10000) });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }
}
