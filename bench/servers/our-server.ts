/**
 * Launches the compiled NestJS app (BENCH_APP_DIR: a `tsc -p tsconfig.build.json` output, dist/ by
 * default layout) the way src/main.ts does, on 127.0.0.1 and a free port, and adds the bench IPC:
 * seeding straight through the app's own repositories (no argon2 per user; seeded reactions through
 * the store's own change()), a session for each seeded user (tokens name one), memory after GC, CPU.
 * Nothing in src/ is changed; configuration comes from the environment as usual.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  seededContent,
  seededReactions,
  type DbSample,
  type SeedPlan,
  type UnreadSeedPlan,
  type SeedResult,
  type SeededUser,
} from '../lib/protocol';
import { env, SEEDED_PASSWORD_HASH, serveIpc } from './common';
import { TOKEN_LIFETIME_S } from '../lib/tokens';
import { seedUnread, type UnreadRepositories } from './unread-seed';

/** The parts of the compiled app the launcher uses. */
interface AppLike {
  listen(port: number, host: string): Promise<unknown>;
  getHttpServer(): { address(): AddressInfo };
  get(token: unknown, options: { strict: boolean }): unknown;
  close(): Promise<void>;
}
interface UsersRepositoryLike {
  create(user: {
    username: string;
    passwordHash: string;
  }): Promise<{ id: number; username: string } | null>;
}
interface SessionsServiceLike {
  start(userId: number, userAgent: string, expiresAt: Date): Promise<{ id: string }>;
}
interface MessagesRepositoryLike {
  create(message: {
    roomId: number;
    userId: number;
    username: string;
    content: string;
    clientMsgId: null;
    replyTo: null;
    mentions: number[];
  }): Promise<{ message: { id: number } } | null>;
  change(change: {
    kind: 'react';
    roomId: number;
    messageId: number;
    userId: number;
    emoji: string;
    on: boolean;
  }): Promise<{ kind: string }>;
}
interface RoomsRepositoryLike {
  create(room: {
    name: string;
    description: string;
    isPrivate: boolean;
    createdBy: number;
  }): Promise<{ id: number } | null>;
  addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean>;
}

/** The app's TypeORM DataSource, as far as the launcher uses it. */
interface DataSourceLike {
  query(sql: string, parameters?: unknown[], ...rest: unknown[]): Promise<unknown>;
}

const appDir = env('BENCH_APP_DIR');
const requireApp = createRequire(join(appDir, 'package.json'));
const load = <T>(path: string): T => requireApp(join(appDir, path)) as T;

async function main(): Promise<void> {
  const { createApp } = load<{ createApp(config: unknown): Promise<AppLike> }>(
    'src/app.factory.js',
  );
  const { loadConfig } = load<{ loadConfig(env: NodeJS.ProcessEnv): unknown }>(
    'src/config/load-config.js',
  );
  const { UsersRepository } = load<{ UsersRepository: unknown }>('src/users/users.repository.js');
  const { RoomsRepository } = load<{ RoomsRepository: unknown }>('src/rooms/rooms.repository.js');
  const { MessagesRepository } = load<{ MessagesRepository: unknown }>(
    'src/messages/messages.repository.js',
  );
  const { SessionsService } = load<{ SessionsService: unknown }>('src/auth/sessions.service.js');

  // The environment only (no .env file), validated exactly as in production.
  const app = await createApp(loadConfig({ ...process.env }));
  await app.listen(0, '127.0.0.1');
  const users = app.get(UsersRepository, { strict: false }) as UsersRepositoryLike;
  const rooms = app.get(RoomsRepository, { strict: false }) as RoomsRepositoryLike;
  const messages = app.get(MessagesRepository, { strict: false }) as MessagesRepositoryLike;
  const sessions = app.get(SessionsService, { strict: false }) as SessionsServiceLike;
  /** The users, each with a session of their own, live for as long as the tokens minted for it. */
  const signIn = (users: SeededUser[]): Promise<SeededUser[]> =>
    Promise.all(
      users.map(async (user) => {
        const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_S * 1000);
        return { ...user, sessionId: (await sessions.start(user.id, 'bench', expiresAt)).id };
      }),
    );

  const seed = async (plan: SeedPlan): Promise<SeedResult> => {
    const seeded: SeedResult['users'] = new Array(plan.users);
    // A few at a time: the PostgreSQL store takes one round trip per row.
    await inChunks(plan.users, 32, async (i) => {
      const username = `${plan.prefix}${i}`;
      const user = await users.create({ username, passwordHash: SEEDED_PASSWORD_HASH });
      if (!user) throw new Error(`user ${username} exists already`);
      seeded[i] = { id: user.id, username: user.username };
    });
    const roomIds: number[] = new Array(plan.rooms.length);
    await inChunks(plan.rooms.length, 16, async (r) => {
      const [owner, ...others] = plan.rooms[r].members;
      const room = await rooms.create({
        name: `${plan.prefix}room${r}`,
        description: '',
        isPrivate: false,
        createdBy: seeded[owner].id,
      });
      if (!room) throw new Error(`room ${plan.prefix}room${r} exists already`);
      for (const member of others) await rooms.addMember(room.id, seeded[member].id, 0);
      roomIds[r] = room.id;
    });
    // One after another, so that ids follow the order of the plan, as on the baseline.
    const messageIds = await Promise.all(
      plan.rooms.map(async (spec, r) => {
        if (!spec.messages) return null;
        let min = 0;
        let max = 0;
        for (let i = 0; i < spec.messages; i++) {
          const author = seeded[spec.members[i % spec.members.length]];
          const stored = await messages.create({
            roomId: roomIds[r],
            userId: author.id,
            username: author.username,
            content: seededContent(i),
            clientMsgId: null,
            replyTo: null,
            mentions: [],
          });
          if (!stored) throw new Error(`message ${i} of room ${r} was not stored`);
          if (i === 0) min = stored.message.id;
          max = stored.message.id;
          if (spec.reactions) {
            for (const { emoji, members } of seededReactions(i, spec.members.length)) {
              for (const member of members) {
                const result = await messages.change({
                  kind: 'react',
                  roomId: roomIds[r],
                  messageId: stored.message.id,
                  userId: seeded[spec.members[member]].id,
                  emoji,
                  on: true,
                });
                if (result.kind !== 'changed') throw new Error(`seeded reaction: ${result.kind}`);
              }
            }
          }
        }
        return { min, max };
      }),
    );
    return { users: await signIn(seeded), roomIds, messageIds };
  };

  const ipc = serveIpc({ name: 'ours', seed, stop: () => app.close() });
  ipc.handle('seed-unread', (plan: UnreadSeedPlan) =>
    seedUnread({ users, rooms, messages } as unknown as UnreadRepositories, plan),
  );
  ipc.handle('sign-in', signIn);
  const db = databaseCounters(app);
  ipc.handle('db', () => {
    if (!db) throw new Error('not on PostgreSQL');
    return db();
  });
  ipc.emit('ready', { port: app.getHttpServer().address().port, pid: process.pid });
}

/** The statement that stores read positions (RoomsRepository.saveReadMarks). */
const READ_MARKS = /UPDATE room_members m SET last_read_id/;

/**
 * On PostgreSQL: counts the statements the app sends through its DataSource (the repositories'
 * `query`), the read-position flushes among them and the rows they moved (their `count`), and
 * reads PostgreSQL's own counters of the database; null in memory.
 */
function databaseCounters(app: AppLike): (() => Promise<DbSample>) | null {
  // In memory there is no DataSource to ask for (and Nest ends the process on a failed get).
  if (!process.env.DATABASE_URL) return null;
  const { DataSource } = requireApp('typeorm') as { DataSource: unknown };
  const db = app.get(DataSource, { strict: false }) as DataSourceLike;
  const counts = { statements: 0, readMarkStatements: 0, readMarkRows: 0 };
  const query = db.query.bind(db);
  db.query = async (sql, ...rest) => {
    counts.statements++;
    const rows = await query(sql, ...rest);
    if (READ_MARKS.test(sql)) {
      counts.readMarkStatements++;
      counts.readMarkRows += Number((rows as { count?: string }[])[0]?.count ?? 0);
    }
    return rows;
  };
  return async () => {
    const [row] = (await query(
      `SELECT (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'room_members') AS upd,
              (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())
                AS commits`,
    )) as { upd: string; commits: string }[];
    return { ...counts, roomMembersUpdated: Number(row.upd), commits: Number(row.commits) };
  };
}

async function inChunks(
  count: number,
  width: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < count; start += width) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + width); i++) batch.push(work(i));
    await Promise.all(batch);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
