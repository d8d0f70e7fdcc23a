// Durations for people: the unit that suits the largest value on a chart.
export interface DurationUnit {
  name: string;
  seconds: number;
}

const UNITS: DurationUnit[] = [
  { name: 'seconds', seconds: 1 },
  { name: 'minutes', seconds: 60 },
  { name: 'hours', seconds: 3600 },
  { name: 'days', seconds: 86_400 },
];

/** The largest unit in which `maxSeconds` is still at least 2. */
export function unitFor(maxSeconds: number): DurationUnit {
  let chosen = UNITS[0]!;
  for (const unit of UNITS) if (maxSeconds >= 2 * unit.seconds) chosen = unit;
  return chosen;
}

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const inUnit = (seconds: number, unit: DurationUnit) => Math.round((seconds / unit.seconds) * 10) / 10;

/** "3.5 hours", "12 seconds". */
export function formatDuration(seconds: number): string {
  const unit = unitFor(seconds);
  const value = inUnit(seconds, unit);
  return `${number.format(value)} ${value === 1 ? unit.name.slice(0, -1) : unit.name}`;
}
