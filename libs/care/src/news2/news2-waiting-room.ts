import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import {
  ConsultationModule,
  type PatientUrgency,
  RoomsService,
  type WaitingRoomUrgency,
} from '@mekong/consultation';
import { FhirStore, HealthRecordModule, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { type News2FlagLike, news2AlertOf, news2FlagId } from './news2-flag';

/** How long a patient's NEWS2 answer is served before it is read again (a Flag write refreshes at once). */
const NEWS2_CACHE_MS = 5000;
const NEWS2 = SystemReason.of(SYSTEM_REASONS.news2);

/**
 * Care's NEWS2 in the video waiting room (docs/care.md § Early warning), through the extension
 * point the consultation declares (WaitingRoomUrgency): a patient with an active NEWS2 alert is
 * seen first. Answers from a cache of the patients of open rooms; a Flag written in this process
 * refreshes it at once, anything older than NEWS2_CACHE_MS is read again in the background.
 */
@Injectable()
export class News2WaitingRoomUrgency implements WaitingRoomUrgency, OnModuleInit {
  private readonly logger = new Logger('News2WaitingRoom');
  private readonly alerts = new Map<string, PatientUrgency & { at: number }>();

  constructor(private readonly store: FhirStore) {}

  onModuleInit(): void {
    this.store.observe({
      name: 'care.news2-waiting-room',
      types: ['Flag'],
      afterWrites: (_em, writes) => {
        for (const w of writes) {
          const flag = w.content as News2FlagLike | null;
          const patient = flag?.subject?.reference;
          const id = patient?.startsWith('Patient/') ? patient.slice(8) : undefined;
          // Only patients of open rooms (watch fills the cache first).
          if (id && w.id === news2FlagId(id) && this.alerts.has(id))
            this.alerts.set(id, { ...news2AlertOf(flag), at: Date.now() });
        }
        return Promise.resolve();
      },
    });
  }

  async watch(patientId: string): Promise<void> {
    if (!this.alerts.has(patientId)) await this.refresh(patientId);
  }

  urgencyOf(patientId: string): PatientUrgency {
    const cached = this.alerts.get(patientId);
    if (!cached || Date.now() - cached.at > NEWS2_CACHE_MS) {
      if (cached) cached.at = Date.now(); // one refresh at a time
      this.refresh(patientId).catch((err: unknown) =>
        this.logger.warn(`NEWS2 flag of Patient/${patientId}: ${String(err)}`),
      );
    }
    const { news2, alert } = cached ?? {};
    return { ...(news2 !== undefined ? { news2 } : {}), ...(alert !== undefined ? { alert } : {}) };
  }

  private async refresh(patientId: string): Promise<void> {
    const v = await this.store.read('Flag', news2FlagId(patientId), NEWS2).catch(() => undefined);
    this.alerts.set(patientId, { ...news2AlertOf(v?.content as News2FlagLike | undefined), at: Date.now() });
  }
}

/** Plugs NEWS2 into the waiting room; composed by the deployables that host visits (platform, consultation). */
@Module({
  imports: [HealthRecordModule, ConsultationModule],
  providers: [News2WaitingRoomUrgency],
})
export class CareWaitingRoomModule implements OnModuleInit {
  constructor(
    private readonly rooms: RoomsService,
    private readonly urgency: News2WaitingRoomUrgency,
  ) {}

  onModuleInit(): void {
    this.rooms.addUrgency(this.urgency);
  }
}
