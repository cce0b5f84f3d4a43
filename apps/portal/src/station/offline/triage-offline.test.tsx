import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import questionnaire from '../../../../../libs/care/src/triage/triage-questionnaire.json';
import { TriageForm } from '../../booking/TriageForm';
import { i18next, missingKeys } from '../../i18n';
import { type FetchCall, fhirAnswer as json, stubFetch } from '../../test-fetch';
import { CAPTURE_SYSTEM, itemsOf, wipeDevice } from './outbox';

let calls: FetchCall[];

beforeEach(async () => {
  missingKeys.length = 0;
  const payload = btoa(
    JSON.stringify({ sub: 'nurse-1', role: 'clinic-staff', exp: Date.now() / 1000 + 3600 }),
  );
  sessionStorage.setItem('mekong.accessToken', `x.${payload}.y`);
  await wipeDevice();
  calls = stubFetch((call) => {
    if (call.url === '/fhir/Questionnaire/mekong-previsit-triage') return json(200, questionnaire);
    if (call.url === '/fhir/Patient/p1')
      return json(200, {
        resourceType: 'Patient',
        id: 'p1',
        birthDate: '1970-01-01',
        name: [{ text: 'Võ Bình' }],
      });
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('vi');
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

/** The form loaded with the link up, then the link goes down; a follow-up visit, every answer no. */
async function offlineFollowUp() {
  fireEvent.click(await screen.findByRole('radio', { name: 'Tái khám, không có triệu chứng mới' }));
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
  for (const no of screen.getAllByRole('radio', { name: 'Không' })) fireEvent.click(no);
}

describe('the station symptom check with the link down', { timeout: 30_000 }, () => {
  it('keeps the answers in the outbox (nothing sent) and says they will be assessed when the link returns', async () => {
    const onDone = vi.fn();
    render(<TriageForm patientId="p1" onDone={onDone} />);
    await offlineFollowUp();
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    await screen.findByText(/sẽ được máy chủ đánh giá khi có mạng trở lại/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    const [item] = await itemsOf('nurse-1');
    expect(item).toMatchObject({ kind: 'triage', state: 'waiting', label: 'Võ Bình', patient: { id: 'p1' } });
    expect(item?.resources[0]).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      subject: { reference: 'Patient/p1' },
      identifier: { system: CAPTURE_SYSTEM, value: item?.id },
    });
    expect(onDone).toHaveBeenCalledWith({ level: 'queued', qr: '', queued: item?.id });
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByText(/will be assessed by the server when the link returns/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it("a yes in the Questionnaire's danger-sign section: call 115 now, and no booking offered", async () => {
    const onDone = vi.fn();
    render(<TriageForm patientId="p1" onDone={onDone} />);
    await offlineFollowUp();
    const danger = screen.getByRole('group', { name: 'Dấu hiệu nguy hiểm' });
    fireEvent.click(
      within(within(danger).getByRole('group', { name: /^Đau ngực/ })).getByRole('radio', { name: 'Có' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('gọi 115 ngay');
    expect(within(alert).getByRole('link', { name: 'Gọi 115' }).getAttribute('href')).toBe('tel:115');
    await waitFor(async () => expect(await itemsOf('nurse-1')).toHaveLength(1));
    expect(onDone).not.toHaveBeenCalled();
  });
});
