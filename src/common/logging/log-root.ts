import type { LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger } from 'pino';
import pretty from 'pino-pretty';

/** Nest's levels as pino names them. */
const PINO_LEVELS: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

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
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(field, depth + 1);
  }
  return copy;
}

export interface LogSettings {
  /** The enabled levels, the least verbose first (AppConfig.logLevels). */
  levels: readonly LogLevel[];
  json: boolean;
}

/**
 * The process's one pino logger. JSON lines are written asynchronously (buffered, flushed on
 * exit), so a log line costs the request little; text is pino-pretty's, for a person at a
 * terminal, formatted in a worker thread. `destination` replaces standard output (tests).
 */
export function createLogRoot(settings: LogSettings, destination?: DestinationStream): Logger {
  const level = settings.levels.length === 0 ? 'silent' : PINO_LEVELS[settings.levels.at(-1)!];
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
  };
  if (settings.json) {
    return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
  }
  const text: pretty.PrettyOptions = {
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'context,req_id,method,path,status,ms',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  };
  const colorize = destination === undefined && process.stdout.isTTY === true;
  // Formatting text costs more than writing JSON. With an access line per request, a worker
  // thread does it, off the event loop; a quieter log is formatted in place.
  if (destination || !['info', 'debug', 'trace'].includes(level)) {
    return pino(options, pretty({ ...text, destination: destination ?? 1, colorize }));
  }
  return pino(
    options,
    pino.transport({
      target: 'pino-pretty',
      options: { ...text, destination: 1, colorize },
    }),
  );
}
