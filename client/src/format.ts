/** Times, day labels and avatars, in the reader's locale and time zone. */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
});
const dateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});

export function formatTime(date: Date): string {
  return timeFormat.format(date);
}

export function formatFull(date: Date): string {
  return fullFormat.format(date);
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function sameDay(a: Date, b: Date): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** "Today", "Yesterday", "Monday, November 24" within a week, else the full date. */
export function formatDay(date: Date, now = new Date()): string {
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return weekdayFormat.format(date);
  return dateFormat.format(date);
}

/** Up to two letters for an avatar. */
export function initials(name: string): string {
  const parts = name.split(/[\s_.-]+/).filter((part) => part.length > 0);
  const letters = parts.length >= 2 ? parts[0].charAt(0) + parts[1].charAt(0) : name.slice(0, 2);
  return letters.toUpperCase();
}

/** A stable colour slot (0..7) for a name, so each person keeps their avatar colour. */
export function colorSlot(name: string): number {
  let hash = 0;
  for (const char of name.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 8;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
