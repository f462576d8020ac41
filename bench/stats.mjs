// Small statistics helpers for the benchmark report.

export function sorted(values) {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile (p in 0..100) of the values. */
export function percentile(values, p) {
  const s = values instanceof Float64Array ? values : sorted(values);
  if (s.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summary(values) {
  const s = sorted(values);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.length ? s[s.length - 1] : NaN };
}

export function ms(v, digits = v < 10 ? 2 : v < 100 ? 1 : 0) {
  return Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a';
}

export function mb(bytes, digits = 1) {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(digits)} MB` : 'n/a';
}

export function mib(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : 'n/a';
}
