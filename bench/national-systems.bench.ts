import { buildClaim } from '../libs/claims/src/xml130/build-claim';
import { insuredVisit } from '../libs/claims/src/xml130/claim-fixture';
import { validateClaim } from '../libs/claims/src/xml130/validate-claim';
import { rsaIdentity } from '../libs/signing/src/test-pki';
import { KeyObjectSigner } from '../libs/signing/src/key-object.signer';
import { signXml } from '../libs/signing/src/xmldsig';
import { TerminologyService } from '../libs/terminology/src/terminology.service';
import { freshDatabase } from '../test/support/test-database';
import { fhirHeaders, percentile, printRows, run, startServer, stopServer, systemToken } from './support';

/**
 * Issue 21's measures, in one run: claim XML generation per second (build, build + validate,
 * build + validate + XMLDSig), and ValueSet/$expand latency on the full ICD-10 — in-process (the
 * service alone) and over HTTP against the built platform in its own process (p50/p95, closed
 * loop). Nothing about time is asserted.
 */
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 2000);
const EXPANDS = Number(process.env.BENCH_EXPANDS ?? 2000);
const ICD_VS = 'http://hl7.org/fhir/ValueSet/icd-10';
/** What a doctor types: accents or not, codes, English, one or several words, rare and common. */
const FILTERS = [
  'sot',
  'sốt xuất huyết',
  'sot xuat huyet dengue',
  'tang huyet ap',
  'viêm phổi',
  'j18',
  'I10',
  'a97',
  'pneumonia',
  'diabetes mellitus',
  'dai thao duong type 2',
  'gay xuong',
  'viem da day',
  'lao phoi',
  'tay chan mieng',
  'e11',
  'k29.7',
  'đau bụng',
  'hen',
  'o80',
];

const ms = (x: number) => x.toFixed(2);

describe('national systems: claim XML and terminology', () => {
  it('claim XML generation per second', async () => {
    const input = insuredVisit();
    const createdAt = new Date('2026-12-06T10:00:00+07:00');
    const id = rsaIdentity('bench signer — no legal validity');
    const signer = new KeyObjectSigner(id.privateKey, [id.certDer]);
    const rows: string[][] = [['claim XML (insuredVisit fixture)', 'n', 'per second', 'p50 ms', 'p95 ms']];
    for (const [name, op] of [
      ['build', async () => void buildClaim(input, { createdAt })],
      ['build + validate', async () => void validateClaim(buildClaim(input, { createdAt }).tables)],
      [
        'build + validate + XMLDSig',
        async () => {
          const c = buildClaim(input, { createdAt });
          validateClaim(c.tables);
          await signXml(c.envelope, signer);
        },
      ],
    ] as const) {
      await run(1, 50, op); // warm-up
      const r = await run(1, CLAIMS, op);
      rows.push([
        name,
        String(CLAIMS),
        r.perSecond.toFixed(0),
        ms(percentile(r.latencies, 0.5)),
        ms(percentile(r.latencies, 0.95)),
      ]);
    }
    printRows(rows);
  });

  it('$expand on the full ICD-10, in-process (the service alone)', async () => {
    const terms = new TerminologyService();
    const t0 = performance.now();
    terms.load();
    const loadMs = performance.now() - t0;
    const r = await run(
      1,
      EXPANDS,
      async (i) => void terms.expand({ url: ICD_VS, filter: FILTERS[i % FILTERS.length], count: 20 }),
    );
    printRows([
      ['$expand ICD-10 in-process (count=20, 20 filters)', 'n', 'per second', 'p50 ms', 'p95 ms'],
      [
        'service',
        String(EXPANDS),
        r.perSecond.toFixed(0),
        ms(percentile(r.latencies, 0.5)),
        ms(percentile(r.latencies, 0.95)),
      ],
      [
        `loading every list (${terms.codeSystems().reduce((a, s) => a + s.count, 0)} concepts), ms`,
        '',
        '',
        ms(loadMs),
        '',
      ],
    ]);
  });

  it('$expand on the full ICD-10 over HTTP against the built platform (p50/p95)', async () => {
    const db = await freshDatabase();
    const server = await startServer(db);
    try {
      const token = await systemToken(server.url);
      const get = async (i: number) => {
        const f = encodeURIComponent(FILTERS[i % FILTERS.length]!);
        const res = await fetch(
          `${server.url}/fhir/ValueSet/$expand?url=${encodeURIComponent(ICD_VS)}&filter=${f}&count=20`,
          {
            headers: fhirHeaders(token),
          },
        );
        if (res.status !== 200) throw new Error(`$expand ${res.status}`);
        await res.arrayBuffer();
      };
      await run(4, 100, get); // warm-up
      const one = await run(1, EXPANDS, get);
      const eight = await run(8, EXPANDS, get);
      printRows([
        ['$expand ICD-10 over HTTP (count=20, 20 filters)', 'clients', 'n', 'per second', 'p50 ms', 'p95 ms'],
        [
          'built platform',
          '1',
          String(EXPANDS),
          one.perSecond.toFixed(0),
          ms(percentile(one.latencies, 0.5)),
          ms(percentile(one.latencies, 0.95)),
        ],
        [
          'built platform',
          '8',
          String(EXPANDS),
          eight.perSecond.toFixed(0),
          ms(percentile(eight.latencies, 0.5)),
          ms(percentile(eight.latencies, 0.95)),
        ],
      ]);
    } finally {
      await stopServer(server.child);
      await db.drop();
    }
  });
});
