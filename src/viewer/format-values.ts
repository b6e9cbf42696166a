/** `20261128_153459` → `2026-11-28 15:34:59`. */
export function formatRunTime(timestamp: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(timestamp);
  return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}` : timestamp;
}

/** A whole number with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A score in points with two decimals, or an em dash. */
export function formatScore(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(2);
}

/** The text cut to `limit` characters (code points), with an ellipsis when cut; whitespace runs collapsed. */
export function truncateText(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(flat);
  return characters.length <= limit ? flat : `${characters.slice(0, limit).join('')}…`;
}
