// The workers' own metrics (Prometheus text from the SDK's Core runtime): means of
// the latency histograms over a phase, from two scrapes.
export type Scrape = Map<string, number>;

/** Each series' value summed over its label sets (buckets left out). */
export function parseMetrics(text: string): Scrape {
  const values: Scrape = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1].endsWith('_bucket')) continue;
    values.set(match[1], (values.get(match[1]) ?? 0) + Number(match[2]));
  }
  return values;
}

export interface HistogramMean {
  name: string;
  count: number;
  meanMs: number;
}

/** Mean and count of every latency histogram that moved between two scrapes. */
export function histogramMeans(before: Scrape, after: Scrape): HistogramMean[] {
  const result: HistogramMean[] = [];
  for (const [key, count] of after) {
    if (!key.endsWith('_count')) continue;
    const name = key.slice(0, -'_count'.length);
    const n = count - (before.get(key) ?? 0);
    const sum = (after.get(`${name}_sum`) ?? 0) - (before.get(`${name}_sum`) ?? 0);
    if (n > 0 && /latency/.test(name)) result.push({ name: name.replace(/^temporal_/, ''), count: n, meanMs: sum / n });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}
