/** WSJF with two decimals; an em dash while the feature is not fully scored. */
export function formatWsjf(wsjf: number | null): string {
  return wsjf === null ? "—" : wsjf.toFixed(2);
}

/** FEATURE_STATE -> Feature state, for display. */
export function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** An ISO date-time as YYYY-MM-DD HH:MM in the browser's time zone. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** An ISO date-time as HH:MM:SS in the browser's time zone (for a live log). */
export function formatTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** Minutes with at most one decimal: 12, 12.5. */
export function formatMinutes(minutes: number): string {
  return String(Math.round(minutes * 10) / 10);
}

/** A story's estimate: points, else the t-shirt size, else an em dash. */
export function formatEstimate(points: number | null, tshirtSize: string | null): string {
  if (points !== null) return String(points);
  return tshirtSize ?? "—";
}

/** "1 story", "2 stories". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
