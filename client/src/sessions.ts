/**
 * The user's signed-in sessions, as `GET /api/users/me/sessions` lists them. The contract leaves
 * their fields open; expected are `{id, created_at, last_used_at, user_agent, current}`, so each
 * is read defensively and one that cannot be named (no id) is left out.
 */
export interface SessionView {
  id: string;
  /** ISO-8601, or null when not told. */
  createdAt: string | null;
  lastUsedAt: string | null;
  /** What the browser said it was; empty when not told. */
  userAgent: string;
  /** The session this page is signed in with. */
  current: boolean;
}

type Unchecked = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

function sessionView(raw: Unchecked): SessionView | null {
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : text(raw.id);
  if (id === null) return null;
  const createdAt = text(raw.created_at);
  return {
    id,
    createdAt,
    lastUsedAt: text(raw.last_used_at) ?? createdAt,
    userAgent: text(raw.user_agent) ?? '',
    current: raw.current === true,
  };
}

/** The sessions to list: the current one first, then the most recently used. */
export function sessionViews(raw: unknown): SessionView[] {
  if (!Array.isArray(raw)) return [];
  const views = raw
    .filter((item): item is Unchecked => typeof item === 'object' && item !== null)
    .map(sessionView)
    .filter((view): view is SessionView => view !== null);
  const time = (view: SessionView) => Date.parse(view.lastUsedAt ?? '') || 0;
  return views.sort((a, b) => Number(b.current) - Number(a.current) || time(b) - time(a));
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Windows", from a user agent; the agent itself when it names neither. */
export function describeAgent(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 60);
}
