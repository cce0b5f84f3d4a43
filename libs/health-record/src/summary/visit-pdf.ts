import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { CCCD_SYSTEM, FOLLOW_UP_CODE, FOLLOW_UP_LETTER_SYSTEM } from '@mekong/fhir';
import { DateTime } from 'luxon';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { Response } from 'express';
import { FhirError } from '../fhir-error';
import type { FhirRestService, RequestContext } from '../rest/fhir-rest.service';
import type { FhirResource } from '../store/resource.repository';
import { conceptText, diagnosisText, medicationText, personName } from './resource-text';
import { type Label, VISIT_LABELS } from './summary-labels';

/** The national e-prescription code of a MedicationRequest (issue 21). */
export const E_PRESCRIPTION_CODE_SYSTEM = 'https://fhir.mekong.health/sid/e-prescription-code';
const ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The font we ship: DejaVu Sans 2.37 (Debian fonts-dejavu-core 2.37-6; Bitstream Vera licence with
 * DejaVu changes in the public domain, `fonts/LICENSE`), 100% of the Vietnamese orthography per
 * its langcover.txt. tsc does not copy it into dist/: looked up beside this file, then in the
 * source tree (a build step copying `fonts/` beside the compiled file is the proper fix).
 */
function fontFile(name: string): Buffer {
  const candidates = [
    join(__dirname, 'fonts', name),
    join(__dirname, '..', '..', '..', '..', '..', 'libs', 'health-record', 'src', 'summary', 'fonts', name),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`visit PDF font ${name} not found (looked in ${candidates.join(', ')})`);
  return readFileSync(found);
}
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const fontBytes = (): { regular: Buffer; bold: Buffer } =>
  (fonts ??= { regular: fontFile('DejaVuSans.ttf'), bold: fontFile('DejaVuSans-Bold.ttf') });

interface VisitData {
  encounter: FhirResource;
  patient?: FhirResource;
  facility?: FhirResource;
  doctors: string[];
  conditions: FhirResource[];
  prescriptions: FhirResource[];
  notes: FhirResource[];
  nextAppointment?: FhirResource;
  /** The re-visit appointment the doctor gave at this visit (giấy hẹn khám lại). */
  followUp?: FhirResource;
}

/**
 * `Encounter/{id}/$summary-pdf`: the visit summary as a PDF in Vietnamese (English beside each
 * heading) the patient can keep. Read with the caller's access exactly as `GET Encounter/{id}`
 * (404 for a visit they cannot see, audited read), and each related resource through the same
 * interactions (reads and searches, each audited); types the token may not read are left out.
 */
export async function visitPdf(fhir: FhirRestService, id: string, ctx: RequestContext): Promise<Uint8Array> {
  return renderVisitPdf(await loadVisit(fhir, id, ctx), new Date());
}

async function loadVisit(fhir: FhirRestService, id: string, ctx: RequestContext): Promise<VisitData> {
  const gate = ctx.gate;
  const may = (type: string): boolean => !gate || gate(type, 'r');
  const read = async (ref: string | undefined): Promise<FhirResource | undefined> => {
    const [type, rid] = (ref ?? '').split('/') as [string, string | undefined];
    if (!rid || !may(type)) return undefined;
    try {
      const r = await fhir.read(type, rid, ctx);
      return JSON.parse(r.text ?? JSON.stringify(r.body)) as FhirResource;
    } catch (e) {
      if (e instanceof FhirError && (e.getStatus() === 404 || e.getStatus() === 410)) return undefined;
      throw e;
    }
  };
  const search = async (type: string, query: [string, string][]): Promise<FhirResource[]> => {
    if (!may(type)) return [];
    const r = (await fhir.searchType(type, { ...ctx, query })).body as {
      entry?: { resource: FhirResource; search?: { mode?: string } }[];
    };
    return (r.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource);
  };

  // Exactly GET Encounter/{id}: 404 unseen or missing, 410 deleted (to who could read it), audited.
  const got = await fhir.read('Encounter', id, ctx);
  const encounter = JSON.parse(got.text ?? JSON.stringify(got.body)) as FhirResource;
  const ref = (x: unknown): string | undefined => (x as { reference?: string } | undefined)?.reference;
  const patientRef = ref(encounter.subject);
  const patient = await read(patientRef);
  const facility =
    (await read(ref(encounter.serviceProvider))) ?? (await read(ref(patient?.managingOrganization)));
  const doctors: string[] = [];
  for (const p of (encounter.participant as
    { individual?: { reference?: string; display?: string } }[] | undefined) ?? []) {
    const who = p.individual?.reference?.startsWith('Practitioner/')
      ? await read(p.individual.reference)
      : undefined;
    const name = who ? personName(who.name) : (p.individual?.display ?? '');
    if (name) doctors.push(name);
  }
  const byVisit: [string, string][] = [
    ['encounter', `Encounter/${id}`],
    ['_count', '100'],
  ];
  const start = (encounter.period as { start?: string } | undefined)?.start;
  const appointments =
    patientRef && start
      ? await search('Appointment', [
          ['patient', patientRef],
          ['date', `gt${start}`],
          ['_count', '50'],
        ])
      : [];
  const nextAppointment = appointments
    .filter((a) => ['booked', 'pending', 'arrived', 'checked-in'].includes(String(a.status)))
    .sort((a, b) => String(a.start).localeCompare(String(b.start)))[0];
  return {
    encounter,
    patient,
    facility,
    doctors,
    conditions: await diagnoses(encounter, await search('Condition', byVisit), read),
    prescriptions: await search('MedicationRequest', byVisit),
    notes: await search('ClinicalImpression', byVisit),
    nextAppointment,
    followUp: (await search('ServiceRequest', byVisit)).find(
      (r) =>
        (r.status === 'active' || r.status === 'completed') &&
        ((r.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).some(
          (c) => c.system === FOLLOW_UP_CODE.system && c.code === FOLLOW_UP_CODE.code,
        ),
    ),
  };
}

/**
 * The visit's diagnoses in the doctor's order: those `Encounter.diagnosis` names by rank (rank 1 the
 * main one; the write-back records it), then the other Conditions of the visit. A Condition the
 * Encounter names but the caller may not read is left out.
 */
async function diagnoses(
  encounter: FhirResource,
  ofVisit: FhirResource[],
  read: (ref: string | undefined) => Promise<FhirResource | undefined>,
): Promise<FhirResource[]> {
  const ranked = (
    (encounter.diagnosis as { condition?: { reference?: string }; rank?: number }[] | undefined) ?? []
  )
    .filter((d) => d.condition?.reference?.startsWith('Condition/'))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
  const byRef = new Map(ofVisit.map((c) => [`Condition/${c.id ?? ''}`, c]));
  const out: FhirResource[] = [];
  for (const d of ranked) {
    const ref = d.condition?.reference as string;
    const c = byRef.get(ref) ?? (await read(ref));
    if (c && !out.includes(c)) out.push(c);
    byRef.delete(ref);
  }
  return [...out, ...byRef.values()];
}

const when = (iso: string | undefined): string =>
  iso ? DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toFormat('dd/MM/yyyy HH:mm') : '';
const day = (iso: string | undefined): string => {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return [d, m, y].filter(Boolean).join('/');
};

/** A CCCD on paper: every digit hidden but the last four (as the portal shows it). */
export function maskCccd(value: string): string {
  const v = value.replace(/\s/g, '');
  return v.length <= 4 ? v : `${'•'.repeat(v.length - 4)}${v.slice(-4)}`;
}

/** Lays the visit out on A4 pages: headings in Vietnamese with an English subtitle, then lines. */
export async function renderVisitPdf(v: VisitData, now: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const bytes = fontBytes();
  const regular = await doc.embedFont(bytes.regular, { subset: true });
  const bold = await doc.embedFont(bytes.bold, { subset: true });
  doc.setTitle(`${VISIT_LABELS.title.vi} — ${VISIT_LABELS.title.en}`);
  doc.setLanguage('vi-VN');
  doc.setProducer('Mekong Health');
  doc.setCreationDate(now);

  const w = new Writer(doc, regular, bold);
  w.title(VISIT_LABELS.title);

  const facility = v.facility ? String(v.facility.name ?? '') : '';
  w.heading(VISIT_LABELS.facility);
  w.line(facility || VISIT_LABELS.none.vi);

  w.heading(VISIT_LABELS.patient);
  const p = v.patient;
  w.line(p ? personName(p.name) : VISIT_LABELS.none.vi);
  if (p?.birthDate) w.field(VISIT_LABELS.born, day(String(p.birthDate)));
  const cccd = (p?.identifier as { system?: string; value?: string }[] | undefined)?.find(
    (i) => i.system === CCCD_SYSTEM && i.value,
  );
  if (cccd?.value) w.field(VISIT_LABELS.cccd, maskCccd(cccd.value));

  const period = v.encounter.period as { start?: string; end?: string } | undefined;
  w.heading(VISIT_LABELS.when);
  w.line(period?.start ? `${when(period.start)} (${VISIT_LABELS.timeZone.vi})` : VISIT_LABELS.none.vi);

  w.heading(VISIT_LABELS.doctor);
  w.line(v.doctors.join(', ') || VISIT_LABELS.none.vi);

  w.heading(VISIT_LABELS.reason);
  const reasons = ((v.encounter.reasonCode as unknown[] | undefined) ?? []).map(conceptText).filter(Boolean);
  w.line(reasons.join(', ') || VISIT_LABELS.none.vi);

  w.heading(VISIT_LABELS.diagnoses);
  if (v.conditions.length === 0) w.line(VISIT_LABELS.none.vi);
  for (const c of v.conditions) w.bullet(diagnosisText(c.code));

  w.heading(VISIT_LABELS.prescriptions);
  if (v.prescriptions.length === 0) w.line(VISIT_LABELS.none.vi);
  for (const m of v.prescriptions) {
    w.bullet(medicationText(m) || VISIT_LABELS.none.vi);
    const dosage = ((m.dosageInstruction as { text?: string }[] | undefined) ?? [])
      .map((d) => d.text)
      .filter(Boolean)
      .join('; ');
    if (dosage) w.field(VISIT_LABELS.dosage, dosage, 14);
    const code = (m.identifier as { system?: string; value?: string }[] | undefined)?.find(
      (i) => i.system === E_PRESCRIPTION_CODE_SYSTEM && i.value,
    );
    if (code?.value) w.field(VISIT_LABELS.prescriptionCode, code.value, 14);
  }

  w.heading(VISIT_LABELS.notes);
  const notes = v.notes
    .flatMap((n) => [
      n.summary as string | undefined,
      n.description as string | undefined,
      ...((n.note as { text?: string }[] | undefined) ?? []).map((x) => x.text),
    ])
    .filter((x): x is string => Boolean(x));
  if (notes.length === 0) w.line(VISIT_LABELS.none.vi);
  for (const n of notes) w.line(n);

  if (v.followUp) {
    w.heading(VISIT_LABELS.followUp);
    const at = v.followUp.occurrenceDateTime as string | undefined;
    w.line(at ? `${when(at)} (${VISIT_LABELS.timeZone.vi})` : VISIT_LABELS.none.vi);
    const letter = (v.followUp.identifier as { system?: string; value?: string }[] | undefined)?.find(
      (i) => i.system === FOLLOW_UP_LETTER_SYSTEM && i.value,
    );
    if (letter?.value) w.field(VISIT_LABELS.followUpLetter, letter.value);
    for (const n of (v.followUp.note as { text?: string }[] | undefined) ?? []) if (n.text) w.line(n.text);
  }

  w.heading(VISIT_LABELS.nextAppointment);
  w.line(
    v.nextAppointment
      ? `${when(String(v.nextAppointment.start))} (${VISIT_LABELS.timeZone.vi})`
      : VISIT_LABELS.none.vi,
  );

  w.gap(10);
  const stamp = when(now.toISOString());
  w.small(VISIT_LABELS.generated.vi.replace('{{when}}', stamp));
  w.small(VISIT_LABELS.generated.en.replace('{{when}}', stamp));
  return doc.save();
}

/** A top-down text cursor over A4 pages that wraps lines and starts a new page when full. */
class Writer {
  private page: PDFPage;
  private y: number;
  private static readonly W = 595.28;
  private static readonly H = 841.89;
  private static readonly M = 50;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([Writer.W, Writer.H]);
    this.y = Writer.H - Writer.M;
  }

  title(l: Label): void {
    this.text(l.vi, this.bold, 18);
    this.text(l.en, this.regular, 11, rgb(0.35, 0.35, 0.35));
    this.gap(6);
  }
  heading(l: Label): void {
    this.gap(8);
    this.text(l.vi, this.bold, 13);
    this.text(l.en, this.regular, 9, rgb(0.35, 0.35, 0.35));
  }
  line(s: string, indent = 0): void {
    this.text(s, this.regular, 11, rgb(0, 0, 0), indent);
  }
  bullet(s: string): void {
    this.text(`• ${s}`, this.regular, 11, rgb(0, 0, 0), 4);
  }
  field(l: Label, value: string, indent = 0): void {
    this.text(`${l.vi} (${l.en}): ${value}`, this.regular, 11, rgb(0, 0, 0), indent);
  }
  small(s: string): void {
    this.text(s, this.regular, 8, rgb(0.35, 0.35, 0.35));
  }
  gap(h: number): void {
    this.y -= h;
  }

  private text(s: string, font: PDFFont, size: number, color = rgb(0, 0, 0), indent = 0): void {
    const width = Writer.W - 2 * Writer.M - indent;
    for (const line of wrap(s.normalize('NFC'), font, size, width)) {
      if (this.y - size < Writer.M) {
        this.page = this.doc.addPage([Writer.W, Writer.H]);
        this.y = Writer.H - Writer.M;
      }
      this.y -= size * 1.3;
      this.page.drawText(line, { x: Writer.M + indent, y: this.y, size, font, color });
    }
  }
}

/**
 * Greedy word wrap by measured width: each word measured once (fontkit lays out every string it
 * measures), a line's width the sum of its words and spaces; a word longer than a line is cut.
 */
function wrap(s: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  const space = font.widthOfTextAtSize(' ', size);
  for (const para of s.split(/\r?\n/)) {
    let cur = '';
    let curWidth = 0;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const w = font.widthOfTextAtSize(word, size);
      if (cur && curWidth + space + w <= width) {
        cur += ` ${word}`;
        curWidth += space + w;
        continue;
      }
      if (cur) out.push(cur);
      if (w <= width) {
        cur = word;
        curWidth = w;
        continue;
      }
      // A word wider than the line: cut by characters (code points, so no letter is split).
      cur = '';
      curWidth = 0;
      for (const ch of word) {
        const cw = font.widthOfTextAtSize(ch, size);
        if (cur && curWidth + cw > width) {
          out.push(cur);
          cur = '';
          curWidth = 0;
        }
        cur += ch;
        curWidth += cw;
      }
    }
    out.push(cur);
  }
  return out;
}

/** Sends the PDF as a download (never cached: health data). */
export function sendPdf(res: Response, pdf: Uint8Array, id: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="tom-tat-lan-kham-${id.replace(/[^A-Za-z0-9.-]/g, '')}.pdf"`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.end(Buffer.from(pdf));
}
