import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatNumber } from '../format';
import './messages';
import { chartGeometry, DEFAULT_BOX, displayUnit, formatVital, latest, type VitalSeries } from './vitals';

const COLORS = ['#0b5cad', '#b3261e'];

/** The unit as a person reads it ("lần/phút" for /min). */
export function useUnitText(): (unit: string) => string {
  const { t, i18n } = useTranslation('record');
  return (unit) => {
    const u = displayUnit(unit);
    return i18n.exists(`vitals.units.${u}`, { ns: 'record' }) ? t(`vitals.units.${u}`) : u;
  };
}

/** One vital sign over time: a small hand-written SVG line chart, with its latest value in text. */
export function VitalChart({ series }: { series: VitalSeries }) {
  const { t, i18n } = useTranslation('record');
  const unitText = useUnitText();
  const id = useId();
  const lang = i18n.language;
  const geo = chartGeometry(series);
  const label = t(`vitals.${series.key}`);
  const last = latest(series);
  const first = series.points[0];
  const fmt = (n: number, digits: number) => formatNumber(n, lang, digits);
  const value = last ? formatVital(last, fmt, series.digits) : '';
  const unit = unitText(series.unit);
  const bp = series.key === 'bloodPressure';
  return (
    <figure className="vital card" style={{ margin: '8px 0' }}>
      <figcaption>
        <h3 style={{ margin: '0 0 4px', fontSize: '1.05rem' }} id={`${id}-h`}>
          {label}
        </h3>
        {last && (
          <p style={{ margin: 0 }}>
            <strong>{t('vitals.latest', { value, unit, date: formatDate(last.date, lang) })}</strong>
          </p>
        )}
        {first && last && series.points.length > 1 && (
          <p style={{ margin: 0, color: '#4b5563', fontSize: '0.9em' }}>
            {t('vitals.range', {
              from: formatDate(first.date, lang),
              to: formatDate(last.date, lang),
              count: series.points.length,
            })}
          </p>
        )}
      </figcaption>
      <svg
        viewBox={`0 0 ${DEFAULT_BOX.width} ${DEFAULT_BOX.height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ display: 'block', maxWidth: '100%', height: 'auto' }}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-t`}>{t('vitals.chartTitle', { label })}</title>
        <desc id={`${id}-d`}>
          {last ? t('vitals.latest', { value, unit, date: formatDate(last.date, lang) }) : ''}
        </desc>
        <line
          x1={DEFAULT_BOX.padLeft}
          x2={DEFAULT_BOX.width - DEFAULT_BOX.padRight}
          y1={geo.yMin}
          y2={geo.yMin}
          stroke="#d1d5db"
        />
        <line
          x1={DEFAULT_BOX.padLeft}
          x2={DEFAULT_BOX.width - DEFAULT_BOX.padRight}
          y1={geo.yMax}
          y2={geo.yMax}
          stroke="#e5e7eb"
          strokeDasharray="3 3"
        />
        <text x={DEFAULT_BOX.padLeft - 4} y={geo.yMax + 4} textAnchor="end" fontSize="10" fill="#4b5563">
          {fmt(geo.max, series.digits)}
        </text>
        <text x={DEFAULT_BOX.padLeft - 4} y={geo.yMin + 4} textAnchor="end" fontSize="10" fill="#4b5563">
          {fmt(geo.min, series.digits)}
        </text>
        {geo.lines.map((line, i) => (
          <g key={i} stroke={COLORS[i % COLORS.length]} fill={COLORS[i % COLORS.length]}>
            {line.length > 1 && (
              <polyline
                fill="none"
                strokeWidth="2"
                strokeLinejoin="round"
                points={line.map((p) => `${p.x},${p.y}`).join(' ')}
              />
            )}
            {line.map((p) => (
              <circle key={`${p.date}-${p.x}`} cx={p.x} cy={p.y} r="3" />
            ))}
          </g>
        ))}
      </svg>
      {bp && (
        <p style={{ margin: 0, fontSize: '0.9em' }}>
          <span style={{ color: COLORS[0] }}>■</span> {t('vitals.systolic')}{' '}
          <span style={{ color: COLORS[1] }}>■</span> {t('vitals.diastolic')}
        </p>
      )}
    </figure>
  );
}
