import type { LogLevel } from '@nestjs/common';

/** The validated configuration, built once at start by loadConfig(); the only source of settings. */
export class AppConfig {
  readonly port!: number;
  readonly production!: boolean;
  /** null: the in-memory store. */
  readonly databaseUrl!: string | null;
  /** null: a single process; set: several processes share rooms through Redis. */
  readonly redisUrl!: string | null;
  /**
   * How processes share real-time traffic through Redis: `sharded` (Redis >= 7), each process
   * receives only the traffic of rooms and users it has connections of; `classic` (Redis 6),
   * every process receives every room's Socket.IO traffic.
   */
  readonly redisPubSub!: 'sharded' | 'classic';
  readonly jwt!: {
    readonly secret: string;
    /** True when no JWT_SECRET was given and a random one was made for this process. */
    readonly generated: boolean;
    readonly expiresInSeconds: number;
  };
  /** Allowed browser origins; ['*'] allows any, [] only the server's own origin. */
  readonly corsOrigins!: readonly string[];
  /** Which proxies' X-Forwarded-For to believe for the client address (as Express's `trust proxy`). */
  readonly trustProxy!: boolean | number | string[];
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken!: string | null;
  readonly logLevels!: LogLevel[];
  readonly logJson!: boolean;
  /** Public rooms made when missing, which every new account joins (DEFAULT_ROOMS). */
  readonly defaultRooms!: readonly string[];
  /**
   * A server admin account ensured at start (ADMIN_USERNAME): made with ADMIN_PASSWORD when missing,
   * else the existing account is made an admin (its password unchanged).
   */
  readonly admin!: { readonly username: string; readonly password: string | null } | null;
  readonly rateLimit!: {
    /** Messages one user may send per window; 0 turns the limit off. */
    readonly messages: number;
    readonly windowSeconds: number;
    /** Register and login attempts per client address per minute; 0 turns the limit off. */
    readonly authPerMinute: number;
    /** Joins and leaves of rooms per user per minute; 0 turns the limit off. */
    readonly membershipPerMinute: number;
  };

  constructor(values: Omit<AppConfig, 'storage'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get storage(): 'memory' | 'postgres' {
    return this.databaseUrl === null ? 'memory' : 'postgres';
  }
}
