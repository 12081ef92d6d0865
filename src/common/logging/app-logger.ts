import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's LoggerService on pino: what Nest and our classes log (`new Logger(context)`) goes to the
 * same place as the access lines, with the context as a field.
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
    // An object is logged as a field, where redaction applies, not as text.
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.root[level]({ ...fields, data: message });
    } else {
      this.root[level](fields, textOf(message));
    }
  }
}

function textOf(message: unknown): string {
  if (message instanceof Error) return message.stack ?? message.message;
  return String(message);
}
