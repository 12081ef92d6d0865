import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { AppConfig } from './app-config';
import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .prefault(String(fallback)),
  );

const url = (protocols: string[], example: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .refine((raw) => {
        try {
          const parsed = new URL(raw);
          return protocols.includes(parsed.protocol) && parsed.hostname !== '';
        } catch {
          return false;
        }
      }, `must be a URL such as ${example}`)
      .optional(),
  );

const origin = z
  .string()
  .refine((raw) => {
    try {
      const parsed = new URL(raw);
      return (
        ['http:', 'https:'].includes(parsed.protocol) && parsed.origin === raw.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  }, 'must be "*" or a comma-separated list of origins such as https://chat.example.com')
  .transform((raw) => new URL(raw).origin);

const schema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: wholeNumber(0, 65535, 8080),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user@host:5432/chat'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://host:6379'),
  REDIS_PUBSUB: z.preprocess(
    blankAsUnset,
    z.enum(['sharded', 'classic'], { error: 'must be sharded or classic' }).default('sharded'),
  ),
  JWT_SECRET: z.preprocess(
    blankAsUnset,
    z.string().min(16, 'must be at least 16 characters long').optional(),
  ),
  JWT_EXPIRES_IN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .regex(/^[1-9]\d*[smhd]?$/, 'must be a positive duration such as 3600, 15m, 12h or 7d')
      .transform((raw) => {
        const [, amount, unit] = /^(\d+)([smhd]?)$/.exec(raw)!;
        return Number(amount) * DURATION_UNITS[unit || 's'];
      })
      .prefault('1d'),
  ),
  CORS_ORIGINS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .transform((raw) =>
        raw
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.union([z.tuple([z.literal('*')]), z.array(origin)]))
      .default([]),
  ),
  LOG_LEVEL: z.preprocess(
    (value) => (blankAsUnset(value) === 'info' ? 'log' : blankAsUnset(value)),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log'),
  ),
  LOG_FORMAT: z.preprocess(
    blankAsUnset,
    z.enum(['text', 'json'], { error: 'must be text or json' }).default('text'),
  ),
  TRUST_PROXY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .regex(
        /^(true|false|\d{1,2}|((loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)\s*,?\s*)+)$/,
        'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses or subnets',
      )
      .transform((raw): boolean | number | string[] =>
        raw === 'true' || raw === 'false'
          ? raw === 'true'
          : /^\d+$/.test(raw)
            ? Number(raw)
            : raw
                .split(',')
                .map((item) => item.trim())
                .filter(Boolean),
      )
      .optional(),
  ),
  METRICS_TOKEN: z.preprocess(
    blankAsUnset,
    z.string().min(16, 'must be at least 16 characters long').optional(),
  ),
  RATE_LIMIT_MESSAGES: wholeNumber(0, 1_000_000, 20),
  RATE_LIMIT_WINDOW_S: wholeNumber(1, 86_400, 10),
  RATE_LIMIT_AUTH: wholeNumber(0, 1_000_000, 20),
  RATE_LIMIT_JOINS: wholeNumber(0, 1_000_000, 30),
  DEFAULT_ROOMS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .transform((raw) => {
        const seen = new Set<string>();
        // A name once, as first written, whatever its letter case later.
        return raw
          .split(',')
          .map((name) => name.trim())
          .filter(
            (name) => name !== '' && !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()),
          );
      })
      .pipe(
        z
          .array(
            z
              .string()
              .max(LIMITS.roomName.max, `names must be at most ${LIMITS.roomName.max} characters`)
              .regex(
                /^[^\p{Cc}\p{Cf}]+$/u,
                'names must not contain control or invisible characters',
              ),
          )
          .max(20, 'must name at most 20 rooms'),
      )
      // The room every fresh store holds.
      .default(['general']),
  ),
  ADMIN_USERNAME: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .min(
        LIMITS.username.min,
        `must be ${LIMITS.username.min} to ${LIMITS.username.max} characters long`,
      )
      .max(
        LIMITS.username.max,
        `must be ${LIMITS.username.min} to ${LIMITS.username.max} characters long`,
      )
      .regex(LIMITS.username.pattern, 'may contain only letters, digits, _ . and -')
      .optional(),
  ),
  ADMIN_PASSWORD: z.preprocess(
    blankAsUnset,
    z
      .string()
      .min(
        LIMITS.password.min,
        `must be ${LIMITS.password.min} to ${LIMITS.password.max} characters long`,
      )
      .max(
        LIMITS.password.max,
        `must be ${LIMITS.password.min} to ${LIMITS.password.max} characters long`,
      )
      .optional(),
  ),
  METRICS_PUBLIC: z.preprocess(
    blankAsUnset,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((raw) => raw === 'true'),
  ),
});

/**
 * Reads `.env` (when present) under the process environment, which wins. This module is the only
 * reader of process.env.
 */
export function readEnvironment(envFile = '.env'): Env {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return { ...process.env };
}

/** Validates every setting; throws ConfigError naming the first variable that cannot be used. */
export function loadConfig(env: Env = readEnvironment()): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0]);
    const raw = env[variable];
    // Secrets and URLs (which may hold a password) are never echoed; other values on one line.
    const secret = [
      'JWT_SECRET',
      'METRICS_TOKEN',
      'DATABASE_URL',
      'REDIS_URL',
      'ADMIN_PASSWORD',
    ].includes(variable);
    const shown = secret || raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const settings = parsed.data;
  const production = settings.NODE_ENV === 'production';
  const redisUrl = settings.REDIS_URL ?? null;
  if (settings.JWT_SECRET === undefined && (production || redisUrl !== null)) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production or REDIS_URL is set');
  }
  if (production && settings.METRICS_TOKEN === undefined && !settings.METRICS_PUBLIC) {
    throw new ConfigError(
      'METRICS_TOKEN',
      'is required when NODE_ENV=production, unless METRICS_PUBLIC=true makes /metrics public on purpose',
    );
  }
  if (settings.ADMIN_PASSWORD !== undefined && settings.ADMIN_USERNAME === undefined) {
    throw new ConfigError('ADMIN_USERNAME', 'is required when ADMIN_PASSWORD is set');
  }
  return new AppConfig({
    port: settings.PORT,
    production,
    databaseUrl: settings.DATABASE_URL ?? null,
    redisUrl,
    redisPubSub: settings.REDIS_PUBSUB,
    jwt: {
      secret: settings.JWT_SECRET ?? randomBytes(32).toString('base64url'),
      generated: settings.JWT_SECRET === undefined,
      expiresInSeconds: settings.JWT_EXPIRES_IN,
    },
    corsOrigins: settings.CORS_ORIGINS,
    trustProxy: settings.TRUST_PROXY ?? false,
    metricsToken: settings.METRICS_TOKEN ?? null,
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(settings.LOG_LEVEL) + 1),
    logJson: settings.LOG_FORMAT === 'json',
    rateLimit: {
      messages: settings.RATE_LIMIT_MESSAGES,
      windowSeconds: settings.RATE_LIMIT_WINDOW_S,
      authPerMinute: settings.RATE_LIMIT_AUTH,
      membershipPerMinute: settings.RATE_LIMIT_JOINS,
    },
    defaultRooms: settings.DEFAULT_ROOMS,
    admin:
      settings.ADMIN_USERNAME === undefined
        ? null
        : { username: settings.ADMIN_USERNAME, password: settings.ADMIN_PASSWORD ?? null },
  });
}
