/**
 * Device check before a visit: camera/microphone preview (getUserMedia, muted local video), a
 * microphone level meter (AudioContext analyser) and a network check (a few timed `/health`
 * round trips), then Join → /visit/{id} — offered only while the consultation room is open (the
 * server's rule: from ROOM_MARGIN_MINUTES before the start); before that, when it opens, in
 * Vietnam time. Everything is released when leaving the page.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhir } from '../api';
import { formatDate, formatTime } from '../format';
import { useAsync } from '../shell/async';
import { Link } from '../shell/router';
import {
  type Appointment,
  micLevel,
  type NetworkQuality,
  networkQuality,
  ROOM_MARGIN_MINUTES,
  roomOpensAt,
  roomState,
} from './booking-logic';
import './messages';

type Media =
  'idle' | 'requesting' | 'ok' | 'audio-only' | 'denied' | 'not-found' | 'busy' | 'unsupported' | 'failed';

function mediaProblem(err: unknown): Media {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError')
    return 'not-found';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  return 'failed';
}

async function openMedia(): Promise<{ stream: MediaStream; video: boolean }> {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: true, audio: true }), video: true };
  } catch (err) {
    // No camera: a consultation by voice is still possible.
    if (mediaProblem(err) !== 'not-found') throw err;
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true }), video: false };
  }
}

export function DeviceCheck({ appointmentId }: { appointmentId: string }) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  // When the room opens (the join link waits for it); if the appointment cannot be read, the
  // link stays and the visit page tells what the server says.
  const appointment = useAsync(() => fhir.read<Appointment>('Appointment', appointmentId), [appointmentId]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const room = appointment.data ? roomState(appointment.data, now) : undefined;
  const ids = useId();
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | undefined>(undefined);
  const audioRef = useRef<{ ctx: AudioContext; frame: number } | undefined>(undefined);
  const [media, setMedia] = useState<Media>('idle');
  const [failure, setFailure] = useState('');
  const [level, setLevel] = useState(0);
  const [heard, setHeard] = useState(false);
  const [net, setNet] = useState<{ testing: boolean; quality?: NetworkQuality; median?: number }>({
    testing: false,
  });

  const stopMedia = useCallback(() => {
    if (audioRef.current) {
      cancelAnimationFrame(audioRef.current.frame);
      void audioRef.current.ctx.close().catch(() => undefined);
      audioRef.current = undefined;
    }
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    streamRef.current = undefined;
  }, []);

  const meter = (stream: MediaStream) => {
    const Ctx =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx || stream.getAudioTracks().length === 0) return;
    const ctx = new Ctx();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(buf);
      const l = micLevel(buf);
      setLevel(l);
      if (l > 8) setHeard(true);
      if (audioRef.current) audioRef.current.frame = requestAnimationFrame(tick);
    };
    audioRef.current = { ctx, frame: requestAnimationFrame(tick) };
  };

  const start = async () => {
    stopMedia();
    if (!navigator.mediaDevices?.getUserMedia) {
      setMedia('unsupported');
      return;
    }
    setMedia('requesting');
    try {
      const { stream, video } = await openMedia();
      streamRef.current = stream;
      if (videoRef.current && video) videoRef.current.srcObject = stream;
      setMedia(video ? 'ok' : 'audio-only');
      meter(stream);
    } catch (err) {
      const problem = mediaProblem(err);
      setFailure(err instanceof Error ? err.message : String(err));
      setMedia(problem);
    }
  };

  const testNetwork = useCallback(async () => {
    setNet({ testing: true });
    const rtts: (number | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      try {
        const res = await fetch('/health', { cache: 'no-store' });
        await res.text();
        rtts.push(res.ok || res.status === 503 ? performance.now() - t0 : null);
      } catch {
        rtts.push(null);
      }
    }
    setNet({ testing: false, ...networkQuality(rtts) });
  }, []);

  useEffect(() => {
    void testNetwork();
    return stopMedia;
  }, [testNetwork, stopMedia]);

  const mediaMessage: Record<Media, string> = {
    idle: '',
    requesting: t('check.requesting'),
    ok: t('check.cameraOk'),
    'audio-only': t('check.audioOnly'),
    denied: t('check.denied'),
    'not-found': t('check.notFound'),
    busy: t('check.busy'),
    unsupported: t('check.unsupported'),
    failed: t('check.failed', { message: failure }),
  };
  const bad = ['denied', 'not-found', 'busy', 'unsupported', 'failed'].includes(media);
  const live = media === 'ok' || media === 'audio-only';

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('check.title')}</h1>
      <p>{t('check.intro')}</p>
      <div className="grid2">
        <div className="card">
          <video
            ref={videoRef}
            autoPlay
            playsInline
            muted
            aria-label={t('check.preview')}
            style={{
              width: '100%',
              aspectRatio: '4 / 3',
              background: '#111',
              borderRadius: 8,
              display: media === 'ok' ? 'block' : 'none',
            }}
          />
          {media !== 'idle' && (
            <p role={bad ? 'alert' : 'status'} className={bad ? 'error' : live ? 'ok' : undefined}>
              {mediaMessage[media]}
            </p>
          )}
          {!live && (
            <button type="button" onClick={() => void start()} disabled={media === 'requesting'}>
              {media === 'idle' || media === 'requesting' ? t('check.start') : t('check.retry')}
            </button>
          )}
          {live && (
            <>
              <label htmlFor={`${ids}-mic`}>{t('check.mic')}</label>
              <meter
                id={`${ids}-mic`}
                min={0}
                max={100}
                low={10}
                high={90}
                optimum={50}
                value={level}
                style={{ width: '100%', height: 20 }}
              >
                {level}
              </meter>
              <p>{heard ? t('check.micHint') : t('check.micSilent')}</p>
            </>
          )}
        </div>
        <div className="card">
          <h2>{t('check.network')}</h2>
          <p
            role={net.quality === 'offline' ? 'alert' : 'status'}
            aria-live="polite"
            className={net.quality === 'good' ? 'ok' : net.quality ? 'error' : undefined}
          >
            {net.testing || !net.quality
              ? t('check.networkTesting')
              : net.quality === 'offline'
                ? t('check.offline')
                : t(`check.${net.quality}`, { ms: net.median })}
          </p>
          <button
            type="button"
            className="secondary"
            disabled={net.testing}
            onClick={() => void testNetwork()}
          >
            {t('check.networkTest')}
          </button>
        </div>
      </div>
      {room === 'not-yet' && appointment.data && (
        <p role="status">
          {t('check.notYet', {
            time: `${formatTime(new Date(roomOpensAt(appointment.data)), lang)}, ${formatDate(new Date(roomOpensAt(appointment.data)), lang)}`,
            minutes: ROOM_MARGIN_MINUTES,
          })}
        </p>
      )}
      {(room === 'closed' || room === 'inactive') && <p role="status">{t('check.closed')}</p>}
      <p style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
        {(room === 'open' || appointment.error !== undefined) && (
          <Link
            to={`/visit/${encodeURIComponent(appointmentId)}`}
            style={{
              display: 'inline-block',
              padding: '8px 16px',
              background: '#0b5cad',
              color: '#fff',
              borderRadius: 6,
              textDecoration: 'none',
              fontWeight: 600,
            }}
          >
            {t('check.join')}
          </Link>
        )}
        <Link to="/appointments">{t('check.back')}</Link>
      </p>
    </section>
  );
}
