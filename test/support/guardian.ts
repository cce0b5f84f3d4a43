import type { Fhir } from './fhir-client';
import { CCCD_SYSTEM } from './vn-corpus';

/**
 * Makes the guardian's Patient a parent of `child` (docs/access-control.md § Guardians): `writer`
 * records a mother (RelatedPerson, MTH) of the child identified by her CCCD, then links the
 * guardian's own Patient to it (Patient.link seealso). `reader` reads that Patient first (default
 * `writer`); `identifyGuardian` also puts the CCCD on it (for a Patient that does not carry it yet).
 * Throws if a write fails. Returns the RelatedPerson's id.
 */
export async function linkGuardian(
  writer: Fhir,
  o: {
    child: string;
    guardian: string;
    cccd: string;
    name: { family: string; given: string[] };
    reader?: Fhir;
    identifyGuardian?: boolean;
  },
): Promise<string> {
  const rp = await writer.post('RelatedPerson', {
    resourceType: 'RelatedPerson',
    patient: { reference: `Patient/${o.child}` },
    relationship: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
    ],
    identifier: [{ system: CCCD_SYSTEM, value: o.cccd }],
    name: [o.name],
  });
  if (rp.status !== 201) throw new Error(`RelatedPerson: ${rp.status} ${JSON.stringify(rp.body)}`);
  const id = rp.body.id as string;
  const me = (await (o.reader ?? writer).get(`Patient/${o.guardian}`)).body;
  const linked = await writer.put(`Patient/${o.guardian}`, {
    ...me,
    ...(o.identifyGuardian ? { identifier: [{ system: CCCD_SYSTEM, value: o.cccd }] } : {}),
    link: [{ other: { reference: `RelatedPerson/${id}` }, type: 'seealso' }],
  });
  if (linked.status !== 200) throw new Error(`Patient.link: ${linked.status} ${JSON.stringify(linked.body)}`);
  return id;
}
