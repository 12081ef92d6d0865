/** What every scenario gets from the orchestrator, and what it gives back. */
import jwt from 'jsonwebtoken';
import type { ChildOptions } from './children';
import { JWT_SECRET } from './children';
import type { SeededUser, ServerKind } from './protocol';
import { TOKEN_LIFETIME_S } from './tokens';

export interface Context {
  quick: boolean;
  rounds: number;
  /** Servers to run (--servers); all by default. */
  servers: ServerKind[];
  appDir: string;
  cacheDir: string;
  /** Set with --profile: our server's .cpuprofile files go under it, one folder per scenario. */
  profileRoot: string | null;
  /** A tag unique to this run, for database names. */
  runTag: string;
  log(line: string): void;
  childOptions(scenario: string, env?: Record<string, string>): ChildOptions;
}

export interface SummaryRow {
  scenario: string;
  metric: string;
  ours: string;
  baseline: string;
  /** ours / baseline; null when not meaningful. */
  ratio: number | null;
  target: string;
  /** null: informational, no target. */
  pass: boolean | null;
}

export interface ScenarioOutcome {
  name: string;
  rows: SummaryRow[];
  /** Text shown under the scenario's heading: its detail table and notes. */
  details: string;
  /** What limited the figures, one line each. */
  limits: string[];
  /** Raw figures, saved to JSON. */
  raw: unknown;
  profiles: string[];
}

/** Tokens as the server signs them, naming each user's session when they have one. */
export function mintTokens(users: SeededUser[]): string[] {
  return users.map((user) =>
    jwt.sign(
      { sub: user.id, username: user.username, ...(user.sessionId && { sid: user.sessionId }) },
      JWT_SECRET,
      { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME_S },
    ),
  );
}

/** The order servers run in: alternating ours and the Socket.IO baseline, the ceiling once. */
export function runOrder(ctx: Pick<Context, 'rounds' | 'servers'>): [number, ServerKind][] {
  const order: [number, ServerKind][] = [];
  for (let round = 1; round <= ctx.rounds; round++) {
    order.push([round, 'ours'], [round, 'socketio']);
    if (round === 1) order.push([round, 'ws']);
  }
  return order.filter(([, kind]) => ctx.servers.includes(kind));
}

export function ratio(ours: number | null | undefined, baseline: number | null | undefined) {
  if (ours === null || ours === undefined || baseline === null || baseline === undefined) {
    return null;
  }
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return null;
  return ours / baseline;
}
