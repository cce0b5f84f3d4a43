import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { CareBookingModule, CareModule, CareWaitingRoomModule } from '@mekong/care';
import { ClaimsModule } from '@mekong/claims';
import { type AppConfig, CommonModule } from '@mekong/common';
import { ConsultationModule } from '@mekong/consultation';
import { EconsultModule } from '@mekong/econsult';
import { EprescriptionModule } from '@mekong/eprescription';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { SchedulingModule } from '@mekong/scheduling';
import { TerminologyModule } from '@mekong/terminology';
import { portalDistDir, portalFallback, portalPrecompressed, portalStatic } from './portal-static';

/** The all-in-one deployable: every context in one Nest app on one port, serving the portal. */
@Module({})
export class PlatformModule implements NestModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        CommonModule.forRoot({ config, service: 'platform' }),
        AuthModule.forIssuer({ patients: HealthRecordModule, notices: NotifyModule }),
        HealthRecordModule,
        NotifyModule,
        SchedulingModule,
        ConsultationModule,
        CareModule,
        CareBookingModule,
        CareWaitingRoomModule,
        EconsultModule,
        TerminologyModule,
        EprescriptionModule,
        ClaimsModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const dir = portalDistDir();
    if (dir) consumer.apply(portalPrecompressed(dir), portalStatic(dir), portalFallback(dir)).forRoutes('/');
  }
}
