import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { SigningService } from './signing.service';

/** The record's signatures (docs/signatures.md): the configured key, Provenance, XMLDSig, `$verify`. */
@Module({
  imports: [HealthRecordModule],
  providers: [SigningService],
  exports: [SigningService],
})
export class SigningModule {}
