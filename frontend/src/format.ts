/** WSJF with two decimals; an em dash while the feature is not fully scored. */
export function formatWsjf(wsjf: number | null): string {
  return wsjf === null ? "—" : wsjf.toFixed(2);
}

/** FEATURE_STATE -> Feature state, for display. */
export function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
