import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatNumber } from '../format';
import './messages';
import {
  type ChartBox,
  chartGeometry,
  DEFAULT_BOX,
  displayUnit,
  formatVital,
  latest,
  type VitalSeries,
} from './vitals';

const COLORS = ['#0b5cad', '#b3261e'];

/** Room for readable labels: 13 units ≈ 12 px on a 360 px phone (the chart is ~300 px wide there). */
const BOX: ChartBox = { ...DEFAULT_BOX, height: 150, padLeft: 46, padRight: 12, padBottom: 30 };
const LABEL_SIZE = 13;
/** About the width of "dd/mm/yyyy" at LABEL_SIZE, in viewBox units. */
const DATE_LABEL_WIDTH = 74;

/**
 * The dates to write under the x axis: the first and last measurement, and one in between when
 * there is room — never two labels over each other.
 */
export function axisTicks(points: readonly { x: number; date: string }[]): { x: number; date: string }[] {
  if (points.length === 0) return [];
  const first = points[0] as { x: number; date: string };
  const last = points[points.length - 1] as { x: number; date: string };
  if (points.length === 1 || last.x - first.x < DATE_LABEL_WIDTH + 4) return [first];
  const ticks = [first];
  const mid = points.reduce((best, p) =>
    Math.abs(p.x - (first.x + last.x) / 2) < Math.abs(best.x - (first.x + last.x) / 2) ? p : best,
  );
  if (mid.x - first.x >= DATE_LABEL_WIDTH + 4 && last.x - mid.x >= DATE_LABEL_WIDTH + 4) ticks.push(mid);
  ticks.push(last);
  return ticks;
}

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
  const geo = chartGeometry(series, BOX);
  const ticks = axisTicks(geo.lines[0] ?? []);
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
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
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
        <line x1={BOX.padLeft} x2={BOX.width - BOX.padRight} y1={geo.yMin} y2={geo.yMin} stroke="#d1d5db" />
        <line
          x1={BOX.padLeft}
          x2={BOX.width - BOX.padRight}
          y1={geo.yMax}
          y2={geo.yMax}
          stroke="#e5e7eb"
          strokeDasharray="3 3"
        />
        <text x={BOX.padLeft - 4} y={geo.yMax + 4} textAnchor="end" fontSize={LABEL_SIZE} fill="#4b5563">
          {fmt(geo.max, series.digits)}
        </text>
        <text x={BOX.padLeft - 4} y={geo.yMin + 4} textAnchor="end" fontSize={LABEL_SIZE} fill="#4b5563">
          {fmt(geo.min, series.digits)}
        </text>
        <line
          x1={BOX.padLeft}
          x2={BOX.width - BOX.padRight}
          y1={BOX.height - BOX.padBottom + 4}
          y2={BOX.height - BOX.padBottom + 4}
          stroke="#9ca3af"
        />
        <g fontSize={LABEL_SIZE} fill="#4b5563" aria-label={t('vitals.axisDates')}>
          {ticks.map((p, i) => (
            <text
              key={`${p.date}-${i}`}
              x={p.x}
              y={BOX.height - 6}
              textAnchor={
                ticks.length === 1 ? 'middle' : i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'
              }
            >
              {formatDate(p.date, lang)}
            </text>
          ))}
        </g>
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
      <div className="visually-hidden">
        <table data-testid="vital-values">
          <caption>{t('vitals.tableCaption', { label })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('vitals.when')}</th>
              {bp ? (
                <>
                  <th scope="col">{`${t('vitals.systolic')} (${unit})`}</th>
                  <th scope="col">{`${t('vitals.diastolic')} (${unit})`}</th>
                </>
              ) : (
                <th scope="col">{t('vitals.value', { unit })}</th>
              )}
            </tr>
          </thead>
          <tbody>
            {series.points.map((p, i) => (
              <tr key={`${p.date}-${i}`}>
                <th scope="row">{formatDateTime(p.date, lang)}</th>
                {(bp ? [0, 1] : [0]).map((k) => {
                  const v = p.values[k];
                  return (
                    <td key={k}>{v !== undefined && Number.isFinite(v) ? fmt(v, series.digits) : '–'}</td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {bp && (
        <p style={{ margin: 0, fontSize: '0.9em' }}>
          <span style={{ color: COLORS[0] }}>■</span> {t('vitals.systolic')}{' '}
          <span style={{ color: COLORS[1] }}>■</span> {t('vitals.diastolic')}
        </p>
      )}
    </figure>
  );
}
