export { EconsultModule } from './econsult.module';
export { ECONSULT_DATABASE } from './econsult.database';
export { ESCALATION_QUEUE as ECONSULT_ESCALATION_QUEUE } from './econsult.service';
export type { CaseView } from './econsult.service';
export type { EconsultCase } from './econsult-case.repository';
