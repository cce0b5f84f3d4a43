export { EconsultModule } from './econsult.module';
export { ECONSULT_DATABASE } from './econsult.database';
export { ESCALATION_QUEUE as ECONSULT_ESCALATION_QUEUE } from './econsult.service';
export type { CaseListItem, CaseView } from './econsult.service';
export type { EconsultCase } from './econsult-case.repository';
/** The uploads' service: its `expire()` is the hourly job's work (tests run it directly). */
export { EconsultUploadsService, UPLOAD_EXPIRY_HOURS } from './econsult-uploads.service';
