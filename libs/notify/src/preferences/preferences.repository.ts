import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import type {
  NotificationOptOut,
  NotificationPreferences,
  NotificationTopic,
  PersonChannel,
} from '@mekong/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFY_CONTEXT } from '../notify.database';

/** Without preferences of their own, a person is reached by SMS, then email (never Zalo: opt-in only). */
export const DEFAULT_CHANNELS: readonly PersonChannel[] = ['sms', 'email'];

interface PreferenceRow {
  person: string;
  channels: string[];
  language: 'vi' | 'en' | null;
  quiet_hours: boolean;
  zalo_opt_in: boolean;
  updated_at: Date;
}

/** notify.preference and notify.opt_out: a person's preferences and opt-outs (per channel and topic). */
@Injectable()
export class PreferencesRepository {
  constructor(@InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource) {}

  async get(person: string, em: EntityManager = this.db.manager): Promise<NotificationPreferences> {
    const rows: PreferenceRow[] = await em.query(`SELECT * FROM notify.preference WHERE person = $1`, [
      person,
    ]);
    const optOuts = await this.optOuts(person, em);
    const r = rows[0];
    if (!r) return { person, channels: [...DEFAULT_CHANNELS], quietHours: true, zaloOptIn: false, optOuts };
    return {
      person,
      channels: r.channels as PersonChannel[],
      ...(r.language ? { language: r.language } : {}),
      quietHours: r.quiet_hours,
      zaloOptIn: r.zalo_opt_in,
      optOuts,
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }

  async save(p: NotificationPreferences, by: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO notify.preference (person, channels, language, quiet_hours, zalo_opt_in, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (person) DO UPDATE SET channels = $2, language = $3, quiet_hours = $4,
           zalo_opt_in = $5, updated_by = $6, updated_at = now()`,
        [p.person, p.channels, p.language ?? null, p.quietHours, p.zaloOptIn, by],
      );
      // The list replaces the old one; an opt-out kept keeps its origin (a STOP stays a STOP).
      const keep = p.optOuts.map((o) => `${o.channel}|${o.topic}`);
      await em.query(
        `DELETE FROM notify.opt_out WHERE person = $1 AND NOT ((channel || '|' || topic) = ANY($2::text[]))`,
        [p.person, keep],
      );
      for (const o of p.optOuts)
        await em.query(
          `INSERT INTO notify.opt_out (person, channel, topic, via) VALUES ($1, $2, $3, $4)
           ON CONFLICT (person, channel, topic) DO NOTHING`,
          [p.person, o.channel, o.topic, o.via],
        );
    });
  }

  async optOuts(person: string, em: EntityManager = this.db.manager): Promise<NotificationOptOut[]> {
    const rows: { channel: PersonChannel; topic: NotificationTopic; via: string; created_at: Date }[] =
      await em.query(
        `SELECT channel, topic, via, created_at FROM notify.opt_out WHERE person = $1 ORDER BY channel, topic`,
        [person],
      );
    return rows.map((r) => ({
      channel: r.channel,
      topic: r.topic,
      via: r.via,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  async optOut(person: string, channel: PersonChannel, topic: NotificationTopic, via: string): Promise<void> {
    await this.db.query(
      `INSERT INTO notify.opt_out (person, channel, topic, via) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person, channel, topic) DO NOTHING`,
      [person, channel, topic, via],
    );
  }

  async isOptedOut(person: string, channel: string, topic: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM notify.opt_out WHERE person = $1 AND channel = $2 AND topic = $3`,
      [person, channel, topic],
    );
    return rows.length > 0;
  }
}
