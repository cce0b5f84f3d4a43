/**
 * Store-and-forward consultations' REST bodies (docs/econsult.md): the station's new case, the
 * specialist's reply, and the case as the server answers it. The server's DTO classes implement the
 * request bodies (their class-validator decorators stay the validation); its service returns the
 * responses.
 */

/** FHIR request priority, most urgent first (the worklist's order). */
export const ECONSULT_PRIORITIES = ['stat', 'asap', 'urgent', 'routine'] as const;
export type EconsultPriority = (typeof ECONSULT_PRIORITIES)[number];

/** What a specialist's reply is. */
export const ECONSULT_REPLY_KINDS = [
  'advice',
  'diagnosis',
  'prescription',
  'see-in-person',
  'book-video',
] as const;
export type EconsultReplyKind = (typeof ECONSULT_REPLY_KINDS)[number];

export type EconsultStatus = 'requested' | 'assigned' | 'completed';
export type EconsultTriage = 'emergency' | 'urgent' | 'routine';

/** Files a case accepts (tus upload, `Upload-Metadata` `filetype`), and their largest size. */
export const ECONSULT_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const ECONSULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The tus `Upload-Metadata` of a case's upload (POST /econsult/cases/:id/uploads): `sha256` is the
 * whole file's SHA-256 in hex, checked at the last byte.
 */
export interface EconsultUploadMetadata {
  filename: string;
  filetype: string;
  sha256: string;
}

/** POST /econsult/cases: a station sends a patient's case to a specialty of its referral hospital. */
export interface CreateEconsultBody {
  /** The Patient's id. */
  patient: string;
  /** The receiving specialty: a SNOMED CT code, as in PractitionerRole.specialty. */
  specialty: string;
  question: string;
  priority: EconsultPriority;
  /** The patient (or their guardian) agreed to share the case with the specialist: must be true. */
  consent: boolean;
  /** Observation ids (vitals) of the patient sent with it. */
  observations?: string[];
}

/** POST /econsult/cases/:id/reply: the specialist's answer, which completes the case. */
export interface EconsultReplyBody {
  kind: EconsultReplyKind;
  text: string;
}

/** A case's workflow state (econsult.econsult_case). */
export interface EconsultCaseState {
  id: string;
  patientId: string;
  serviceRequestId: string;
  taskId: string;
  /** `Practitioner/…` who sent it, their account, and their facility. */
  sender: string;
  senderAccount: string;
  senderOrg: string;
  /** The receiving (referral) hospital, `Organization/…`. */
  hospital: string;
  specialty: string;
  priority: EconsultPriority;
  news2?: number;
  triage?: EconsultTriage;
  status: EconsultStatus;
  assignee?: string;
  assignedAt?: string;
  dueAt: string;
  escalations: number;
  escalatedAt?: string;
  replyKind?: string;
  replyCommunication?: string;
  answeredBy?: string;
  answeredAt?: string;
  createdAt: string;
}

/** A case as GET /econsult/cases lists it (in the server's order): with the patient's name. */
export interface EconsultCaseListItem extends EconsultCaseState {
  patient: { id: string; name?: string };
}

/** A stored photo or document of a case (GET /econsult/cases/:id/documents/:id gives its bytes). */
export interface EconsultDocument {
  /** The upload's id (the path segment of its bytes). */
  id: string;
  documentReference: string;
  title: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** A case as GET /econsult/cases/:id, POST, claim and reply answer it. */
export interface EconsultCaseView extends EconsultCaseListItem {
  question?: string;
  taskStatus?: string;
  documents: EconsultDocument[];
  /** The vitals sent with the case. */
  vitals?: EconsultVital[];
  reply?: { kind?: string; text?: string; by?: string; at?: string };
  /** Names of the practitioners and facilities the case refers to (sender, assignee, hospital...). */
  names: Record<string, string>;
}

/** A vital sign sent with a case (an Observation in the ServiceRequest's supportingInfo), as text. */
export interface EconsultVital {
  id: string;
  /** LOINC code of the Observation. */
  code?: string;
  display?: string;
  /** The value as the record holds it, with its unit (`120/80 mmHg` for a blood pressure panel). */
  value?: string;
  at?: string;
}
