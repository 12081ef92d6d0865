import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's LoggerService on pino: what Nest and our classes log (`new Logger(context)`) goes to the
 * same place as the access lines, with the context as a field. Objects are the one way arbitrary
 * data enters the log (access lines hold known fields only), so they are redacted here.
 */
export class AppLogger implements LoggerService {
  constructor(readonly root: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context) for errors.
    const [stack, context] = rest.length >= 2 ? rest : [undefined, rest[0]];
    if (!this.root.isLevelEnabled('error')) return;
    this.root.error(
      { context: typeof context === 'string' ? context : undefined, stack },
      textOf(message),
    );
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'fatal' | 'warn' | 'info' | 'debug' | 'trace',
    message: unknown,
    rest: unknown[],
  ): void {
    if (!this.root.isLevelEnabled(level)) return;
    const context = rest.at(-1);
    const fields = { context: typeof context === 'string' ? context : undefined };
    // An object is logged as a field, with its secrets redacted, not as text.
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.root[level]({ ...fields, data: redactSecrets(message) });
    } else {
      this.root[level](fields, textOf(message));
    }
  }
}

function textOf(message: unknown): string {
  if (message instanceof Error) return message.stack ?? message.message;
  return String(message);
}

/** Keys whose values never reach the log, at any depth of a logged object: credentials. */
const SECRET_KEYS = new Set([
  'password',
  'current_password',
  'new_password',
  'token',
  'access_token',
  'authorization',
  'cookie',
  'jwt_secret',
  'metrics_token',
]);
const REDACTED = '[redacted]';
/** Logged objects are small; deeper than this, a value is left out rather than walked. */
const MAX_DEPTH = 6;

/** A copy of a logged object with the values of SECRET_KEYS replaced, at any depth. */
function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(field, depth + 1);
  }
  return copy;
}
