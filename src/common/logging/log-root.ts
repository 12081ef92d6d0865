import type { LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { isoTime } from '../iso-time';
import { TextLines } from './text-lines';

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
 * The process's one pino logger. Lines are written asynchronously (buffered, flushed on exit), so
 * a log line costs the request little: JSON as pino writes it, or text for a person at a terminal
 * (TextLines). `destination` replaces standard output (tests).
 */
export function createLogRoot(settings: LogSettings, destination?: DestinationStream): Logger {
  const level = settings.levels.length === 0 ? 'silent' : PINO_LEVELS[settings.levels.at(-1)!];
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: () => `,"time":"${isoTime(new Date())}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
  const out = destination ?? pino.destination({ dest: 1, sync: false });
  if (settings.json) return pino(options, out);
  const colourise = destination === undefined && process.stdout.isTTY === true;
  return pino(options, new TextLines(out, colourise));
}
