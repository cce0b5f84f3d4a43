import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mekong/auth';
import { type AppConfig, CommonModule } from '@mekong/common';
import { ConsultationModule } from '@mekong/consultation';

/** The consultation deployable (signaling + media); verifies tokens against the issuer's JWKS. */
@Module({})
export class ConsultationAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ConsultationAppModule,
      imports: [
        CommonModule.forRoot({ config, service: 'consultation' }),
        AuthModule.forVerifier(),
        ConsultationModule,
      ],
    };
  }
}
