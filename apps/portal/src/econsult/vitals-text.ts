/** An Observation's value as one line of text (as the server's case view gives it to the specialist). */
export interface ObservationLike {
  id?: string;
  code?: { coding?: { code?: string; display?: string }[]; text?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; unit?: string };
  valueInteger?: number;
  valueCodeableConcept?: { text?: string; coding?: { display?: string }[] };
  component?: { valueQuantity?: { value?: number; unit?: string } }[];
}

export function observationValue(o: ObservationLike): string | undefined {
  const parts = (o.component ?? []).map((c) => c.valueQuantity).filter((q) => q?.value !== undefined);
  if (parts.length > 0)
    return `${parts.map((q) => q?.value).join('/')}${parts[0]?.unit ? ` ${parts[0].unit}` : ''}`;
  const q = o.valueQuantity;
  if (q?.value !== undefined) return `${q.value}${q.unit ? ` ${q.unit}` : ''}`;
  if (o.valueInteger !== undefined) return String(o.valueInteger);
  return o.valueCodeableConcept?.text ?? o.valueCodeableConcept?.coding?.[0]?.display;
}

/** The Observations of the latest measurement (same effective time as the newest one). */
export function latestSet<T extends ObservationLike>(newestFirst: T[]): T[] {
  const at = newestFirst[0]?.effectiveDateTime;
  return at === undefined ? [] : newestFirst.filter((o) => o.effectiveDateTime === at);
}
