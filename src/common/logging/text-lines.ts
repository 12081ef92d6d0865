import type { DestinationStream } from 'pino';

/** Fields every entry has, or that access lines carry in their message already. */
const SHOWN_OR_IMPLIED = new Set([
  'level',
  'time',
  'context',
  'msg',
  'stack',
  'req_id',
  'method',
  'path',
  'status',
  'ms',
]);

const LEVEL_COLOURS: Record<string, string> = {
  fatal: '\x1b[41m',
  error: '\x1b[31m',
  warn: '\x1b[33m',
  info: '\x1b[32m',
  debug: '\x1b[34m',
  trace: '\x1b[90m',
};
const RESET = '\x1b[0m';

/**
 * LOG_FORMAT=text: turns pino's JSON lines into one readable line per entry,
 * `[2026-11-30 07:22:34.629] INFO: [Context] message {other fields}`, a stack on the lines below,
 * in local time. It costs about a JSON.parse per line, in place: cheaper than handing every
 * line to a formatting thread.
 */
export class TextLines implements DestinationStream {
  constructor(
    private readonly out: DestinationStream,
    private readonly colourise: boolean,
  ) {}

  write(line: string): void {
    this.out.write(formatTextLine(JSON.parse(line) as Record<string, unknown>, this.colourise));
  }
}

export function formatTextLine(record: Record<string, unknown>, colourise = false): string {
  const label = String(record.level);
  const level = colourise
    ? `${LEVEL_COLOURS[label] ?? ''}${label.toUpperCase()}${RESET}`
    : label.toUpperCase();
  const context = typeof record.context === 'string' ? `[${record.context}] ` : '';
  let text = `[${localTime(String(record.time))}] ${level}: ${context}${typeof record.msg === 'string' ? record.msg : ''}`;
  const others = Object.keys(record).filter((key) => !SHOWN_OR_IMPLIED.has(key));
  if (others.length > 0) {
    text += ` ${JSON.stringify(Object.fromEntries(others.map((key) => [key, record[key]])))}`;
  }
  if (typeof record.stack === 'string') text += `\n    ${record.stack.replace(/\n/g, '\n    ')}`;
  return `${text}\n`;
}

const two = (n: number) => String(n).padStart(2, '0');

function localTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const date = `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}`;
  const time = `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
  return `${date} ${time}.${String(t.getMilliseconds()).padStart(3, '0')}`;
}
