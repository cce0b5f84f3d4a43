import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { i18next, missingKeys } from '../i18n';
import { stubFetch } from '../test-fetch';
import type { EconsultCaseView } from './econsult-api';
import { SendCase } from './SendCase';
import type * as UploadModule from './upload';
import type { UploadHandlers } from './upload';

// The tus transfer itself is exercised in Chromium (test/econsult-browser.e2e-spec.ts); here it is
// replaced so the form's handling of progress, a refusal and a second try can be checked.
const uploads = vi.hoisted(() => ({ calls: [] as { caseId: string; name: string }[], fail: true }));
vi.mock('./upload', async (original) => ({
  ...(await original<typeof UploadModule>()),
  uploadFile: (caseId: string, file: File, h: UploadHandlers): Promise<void> => {
    uploads.calls.push({ caseId, name: file.name });
    h.onProgress(file.size / 2, file.size);
    if (uploads.fail) {
      uploads.fail = false;
      return Promise.reject(
        new ApiError(460, 'Checksum mismatch / Mã kiểm tra không khớp', {
          statusCode: 460,
          code: 'ECONSULT.CHECKSUM_MISMATCH',
        }),
      );
    }
    return Promise.resolve();
  },
}));

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const created = {
  id: '11111111-1111-4111-8111-111111111111',
  documents: [],
  names: {},
} as unknown as EconsultCaseView;

beforeEach(() => {
  missingKeys.length = 0;
  uploads.calls.length = 0;
  uploads.fail = true;
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

describe('e-consult form: files', { timeout: 30_000 }, () => {
  it('a file the server refuses is shown in the nurse’s words; the case stays sent and the file goes again', async () => {
    const posts: unknown[] = [];
    stubFetch((c) => {
      if (c.url.startsWith('/fhir/Observation')) return json(200, { resourceType: 'Bundle' });
      if (c.url === '/econsult/cases' && c.method === 'POST') {
        posts.push(c.body);
        return json(201, created);
      }
      return undefined;
    });
    const onSent = vi.fn();
    render(<SendCase patientId="p1" onSent={onSent} onClose={() => undefined} />);
    await screen.findByText('Chưa có chỉ số sinh tồn nào được ghi cho người bệnh này.');
    fireEvent.change(screen.getByLabelText('Chuyên khoa'), { target: { value: '394582007' } });
    fireEvent.change(screen.getByLabelText('Câu hỏi cho bác sĩ chuyên khoa'), {
      target: { value: 'Ảnh vết loét' },
    });
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])], 'vet-loet.jpg', {
      type: 'image/jpeg',
    });
    fireEvent.change(screen.getByLabelText(/^Ảnh và tài liệu/), { target: { files: [photo] } });
    expect((await screen.findByTestId('econsult-files')).textContent).toContain('Chờ gửi');
    fireEvent.click(screen.getByLabelText(/Người bệnh \(hoặc người giám hộ\) đồng ý/));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi cho bác sĩ chuyên khoa' }));
    expect((await screen.findByTestId('econsult-failure')).textContent).toContain(
      'Ca bệnh đã được gửi nhưng còn tệp chưa gửi xong.',
    );
    const files = screen.getByTestId('econsult-files');
    expect(files.textContent).toContain('Không gửi được');
    expect(files.textContent).toContain(
      'Tệp bị hỏng trên đường gửi (mã kiểm tra không khớp). Hãy gửi lại tệp.',
    );
    expect(onSent).not.toHaveBeenCalled();
    // Again: the case is not created twice; only the file goes.
    fireEvent.click(screen.getByRole('button', { name: 'Gửi cho bác sĩ chuyên khoa' }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(created));
    expect(posts).toHaveLength(1);
    expect(uploads.calls).toEqual([
      { caseId: created.id, name: 'vet-loet.jpg' },
      { caseId: created.id, name: 'vet-loet.jpg' },
    ]);
    expect(missingKeys).toEqual([]);
  });
});
