import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskCccd, renderVisitPdf } from './visit-pdf';

/** The PDF's text layer through poppler's pdftotext (scripts/install-system-deps.sh installs it). */
function textOf(pdf: Uint8Array): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'visit-pdf-spec-'));
  try {
    const file = join(dir, 'v.pdf');
    writeFileSync(file, pdf);
    if (process.env.VISIT_PDF_KEEP) writeFileSync(process.env.VISIT_PDF_KEEP, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return { text: text.normalize('NFC'), pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('visit PDF layout', () => {
  const encounter = {
    resourceType: 'Encounter',
    id: 'e1',
    period: { start: '2026-11-20T17:30:00Z' },
    reasonCode: [{ text: 'Sốt, ho kéo dài' }],
  };

  it('writes every Vietnamese letter with its diacritics (the shipped font covers them)', async () => {
    const all = 'ĂÂĐÊÔƠƯ ăâđêôơư ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ ÈẺẼÉẸ ỀỂỄẾỆ ÌỈĨÍỊ ÒỎÕÓỌ ỒỔỖỐỘ ỜỞỠỚỢ ÙỦŨÚỤ ỪỬỮỨỰ ỲỶỸÝỴ';
    const pdf = await renderVisitPdf(
      {
        encounter,
        patient: { resourceType: 'Patient', name: [{ text: all }] },
        doctors: [],
        conditions: [],
        prescriptions: [],
        notes: [],
      },
      new Date('2026-11-21T00:00:00Z'),
    );
    const { text } = textOf(pdf);
    for (const word of all.split(' '))
      expect({ word, found: text.includes(word) }).toEqual({ word, found: true });
    // the visit at 17:30 UTC is 00:30 the next day in Vietnam
    expect(text).toContain('21/11/2026 00:30');
    expect(text).toContain('Không có'); // empty sections say so
  });

  it('wraps long lines and continues on a new page', async () => {
    const long = 'Uống thuốc sau bữa ăn, theo dõi huyết áp hằng ngày và ghi lại kết quả. '.repeat(6);
    const prescriptions = Array.from({ length: 30 }, (_, i) => ({
      resourceType: 'MedicationRequest',
      medicationCodeableConcept: { text: `Thuốc số ${i + 1}` },
      dosageInstruction: [{ text: long }],
    }));
    const pdf = await renderVisitPdf(
      { encounter, doctors: [], conditions: [], prescriptions, notes: [] },
      new Date('2026-11-21T00:00:00Z'),
    );
    const { text, pages } = textOf(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Thuốc số 30');
  });

  it('prints the re-visit appointment given at the visit, in Vietnam time, with its letter number', async () => {
    const pdf = await renderVisitPdf(
      {
        encounter,
        doctors: [],
        conditions: [],
        prescriptions: [],
        notes: [],
        followUp: {
          resourceType: 'ServiceRequest',
          occurrenceDateTime: '2027-01-06T01:00:00Z',
          identifier: [
            { system: 'https://fhir.mekong.health/sid/follow-up-letter', value: 'HKL-0A1B2C3D4E5F' },
          ],
          note: [{ text: 'Mang theo kết quả xét nghiệm.' }],
        },
      },
      new Date('2026-11-21T00:00:00Z'),
    );
    const { text } = textOf(pdf);
    expect(text).toContain('Hẹn khám lại');
    expect(text).toContain('06/01/2027 08:00');
    expect(text).toContain('HKL-0A1B2C3D4E5F');
    expect(text).toContain('Mang theo kết quả xét nghiệm.');
  });

  it('masks a CCCD but its last four digits', () => {
    expect(maskCccd('092168001234')).toBe('••••••••1234');
    expect(maskCccd('1234')).toBe('1234');
  });
});
