import { describe, expect, it } from 'vitest';
import { SenderStates } from './remote-media';

const camera = { producerId: 'cam', participantId: 'pat', source: 'camera' };
const mic = { producerId: 'mic', participantId: 'pat', source: 'mic' };

describe('the "camera off" label follows the sender', () => {
  it('admission race: the held camera is resumed while its consumer is still being received — not "off"', () => {
    const s = new SenderStates();
    // newConsumers arrives with the patient's held producers (paused on the server)…
    s.snapshot('mic', true);
    s.snapshot('cam', true);
    // …the patient resumes them on admission before the doctor's page has received them.
    s.event('mic', false);
    s.event('cam', false);
    // Consumers received afterwards: nothing is said to be off (the old code re-applied the
    // snapshot here and the tile said "camera off" while video flowed).
    expect(s.remoteOff([camera, mic])).toEqual({});
  });

  it('a pause or resume for a consumer not received yet is kept and applies once it is', () => {
    const s = new SenderStates();
    s.event('cam', true);
    expect(s.remoteOff([])).toEqual({});
    expect(s.remoteOff([camera])).toEqual({ pat: { camera: true } });
    s.event('cam', false);
    expect(s.remoteOff([camera])).toEqual({});
  });

  it('camera off and muted, then back on; a screen never says "off"', () => {
    const s = new SenderStates();
    s.snapshot('cam', false);
    s.snapshot('mic', false);
    s.snapshot('scr', true);
    s.event('cam', true);
    s.event('mic', true);
    const screen = { producerId: 'scr', participantId: 'pat', source: 'screen' };
    expect(s.remoteOff([camera, mic, screen])).toEqual({ pat: { camera: true, mic: true } });
    s.event('mic', false);
    expect(s.remoteOff([camera, mic, screen])).toEqual({ pat: { camera: true } });
  });

  it('video arriving on the track (unmute) means the camera is on, whatever was said before', () => {
    const s = new SenderStates();
    s.snapshot('cam', true);
    expect(s.remoteOff([camera])).toEqual({ pat: { camera: true } });
    s.flowing('cam');
    expect(s.remoteOff([camera])).toEqual({});
  });

  it('no label outlives its consumer (closed, participant left) or a reconnect (cleared)', () => {
    const s = new SenderStates();
    s.event('cam', true);
    expect(s.remoteOff([])).toEqual({});
    s.clear();
    expect(s.remoteOff([camera])).toEqual({});
    // After a reconnect the new consumer's snapshot decides.
    s.snapshot('cam', false);
    expect(s.remoteOff([camera])).toEqual({});
  });
});
