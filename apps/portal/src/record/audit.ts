/**
 * "Who viewed my record": the server's AuditEvents (one per read, search, write...) in plain
 * language. Returns message keys (namespace `record`) so the view can translate them.
 */
import { type FhirResource } from '../api';

export interface AuditLine {
  id: string;
  when?: string;
  /** `Practitioner/…`, `Patient/…` or the account id when the agent has no FHIR identity. */
  who: string;
  /** The reference to resolve to a name, when the agent is a FHIR resource. */
  whoReference?: string;
  /** Server role: patient, practitioner, clinic-staff, admin, system. */
  role?: string;
  /** Key under `audit.action.` */
  action:
    'read' | 'search' | 'create' | 'update' | 'delete' | 'everything' | 'history' | 'breakGlass' | 'other';
  /** The resource type looked at or changed (e.g. Observation), when known. */
  entityType?: string;
  /** Key under `audit.outcome.` */
  outcome: 'success' | 'refused' | 'failed';
  /** Emergency access (break-glass, purpose ETREAT). */
  emergency: boolean;
  /** The reason given (break-glass) or the refusal detail. */
  detail?: string;
  /** The viewer is the patient themselves. */
  self: boolean;
}

interface AuditEventShape {
  id?: string;
  action?: string;
  recorded?: string;
  outcome?: string;
  outcomeDesc?: string;
  subtype?: { code?: string }[];
  purposeOfEvent?: { coding?: { code?: string }[] }[];
  agent?: {
    who?: { reference?: string; display?: string; identifier?: { value?: string } };
    type?: { coding?: { display?: string; code?: string }[] };
    role?: { coding?: { display?: string; code?: string }[] }[];
  }[];
  entity?: { what?: { reference?: string }; role?: { code?: string } }[];
}

function actionOf(e: AuditEventShape): AuditLine['action'] {
  const sub = e.subtype?.[0]?.code ?? '';
  if (sub === 'break-glass') return 'breakGlass';
  if (sub === 'everything') return 'everything';
  if (sub === 'history' || sub === 'history-instance' || sub === 'history-type') return 'history';
  if (sub.startsWith('search')) return 'search';
  if (sub === 'read' || sub === 'vread') return 'read';
  switch (e.action ?? '') {
    case 'C':
      return 'create';
    case 'R':
      return 'read';
    case 'U':
      return 'update';
    case 'D':
      return 'delete';
    case 'E':
      return sub === 'patch' ? 'update' : 'search';
    default:
      return 'other';
  }
}

/** The resource type of an entity reference such as `Observation/1/_history/2` or `Observation?code,date`. */
export function entityTypeOf(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const m = /^([A-Z][A-Za-z]+)(?:[/?]|$)/.exec(reference);
  return m?.[1];
}

export function auditLine(resource: FhirResource, patientId?: string): AuditLine {
  const e = resource as AuditEventShape;
  const agent = e.agent?.[0];
  const whoReference = agent?.who?.reference;
  const who = agent?.who?.display ?? whoReference ?? agent?.who?.identifier?.value ?? '';
  const role = agent?.type?.coding?.[0]?.display ?? agent?.role?.[0]?.coding?.[0]?.display;
  // The first entity that is not the patient is what was looked at.
  const what = e.entity?.find((x) => x.role?.code !== '1')?.what?.reference;
  const outcome =
    e.outcome === '0' || e.outcome === undefined ? 'success' : e.outcome === '4' ? 'refused' : 'failed';
  const emergency =
    (e.purposeOfEvent ?? []).some((p) => (p.coding ?? []).some((c) => c.code === 'ETREAT')) ||
    e.subtype?.[0]?.code === 'break-glass';
  return {
    id: e.id ?? '',
    when: e.recorded,
    who,
    whoReference,
    role,
    action: actionOf(e),
    entityType: entityTypeOf(what),
    outcome,
    emergency,
    detail: e.outcomeDesc,
    self: patientId !== undefined && whoReference === `Patient/${patientId}`,
  };
}
