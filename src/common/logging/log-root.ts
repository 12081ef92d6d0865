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
    formatters: { level: (label) => ({ level: label }) },
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
