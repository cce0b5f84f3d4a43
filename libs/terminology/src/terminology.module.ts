import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { TerminologyOwner } from './terminology-owner';
import { TerminologyService } from './terminology.service';

/**
 * The national code lists as a FHIR terminology service (docs/terminology.md, decision 028).
 * Other contexts validate codes through the exported TerminologyService.
 */
@Module({
  imports: [HealthRecordModule],
  providers: [{ provide: TerminologyService, useFactory: () => new TerminologyService() }, TerminologyOwner],
  exports: [TerminologyService],
})
export class TerminologyModule {}
