/** Driver and network errors that mean PostgreSQL cannot be reached, as opposed to a bad query. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
];

export function isStorageUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const { code, message, driverError } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
    };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((m) => message.includes(m))) {
      return true;
    }
    current = driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * PostgreSQL refused a row for what it holds (SQLSTATE classes 22, data exception, and 23,
 * integrity constraint violation) rather than for the state of the server or the connection.
 */
export function isRowRefused(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: unknown };
  if (typeof code === 'string') return /^2[23][0-9A-Z]{3}$/.test(code);
  return driverError !== undefined && isRowRefused(driverError);
}
