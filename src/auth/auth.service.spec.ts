import { randomUUID } from 'node:crypto';
import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { RoomActivity } from '../rooms/room-activity';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { uniqueName } from '../../test/factories/users.factory';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { PasswordHasher } from '../users/password-hasher';
import { LocalPresence, Presence } from '../users/presence';
import { UsersError } from '../users/users.error';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { UserEvents } from '../users/user-events';
import { DefaultRooms } from '../rooms/default-rooms';
import { RoomEvents } from '../rooms/room-events';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import { RoomsRepository } from '../rooms/rooms.repository';
import { AuthError } from './auth.error';
import { AuthService } from './auth.service';
import { rejection } from '../../test/support/rejection';
import { SessionEvents } from './session-events';
import { LocalSessionRevocations, SessionRevocations } from './session-revocations';
import { SessionsMemoryRepository } from './sessions.memory.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const SECRET = 'auth-service-spec-secret';
const PASSWORD = 'correct horse battery';

/** The fields of a user on the wire. */
const USER_FIELDS = ['created_at', 'display_name', 'id', 'online', 'role', 'username'];

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('AuthService', () => {
  let auth: AuthService;
  let jwt: JwtService;
  let users: UsersRepository;
  let rooms: RoomsRepository;
  let sessions: SessionsService;
  const joined: number[] = [];

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        JwtModule.register({
          secret: SECRET,
          signOptions: { algorithm: 'HS256', expiresIn: 60 },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      providers: [
        AuthService,
        SessionsService,
        { provide: SessionsRepository, useClass: SessionsMemoryRepository },
        { provide: SessionRevocations, useClass: LocalSessionRevocations },
        { provide: SessionEvents, useValue: { sessionsEnded: () => {} } },
        UsersService,
        PasswordHasher,
        { provide: Presence, useClass: LocalPresence },
        { provide: UsersRepository, useClass: UsersMemoryRepository },
        { provide: UserEvents, useValue: { userUpdated: () => {} } },
        DefaultRooms,
        { provide: RoomsRepository, useClass: RoomsMemoryRepository },
        { provide: MessagesRepository, useClass: MessagesMemoryRepository },
        { provide: RoomActivity, useExisting: MessagesRepository },
        {
          provide: RoomEvents,
          useValue: { memberJoined: (roomId: number) => joined.push(roomId), memberLeft: () => {} },
        },
        {
          provide: AppConfig,
          useValue: loadConfig({
            JWT_SECRET: SECRET,
            JWT_EXPIRES_IN: '60',
            DEFAULT_ROOMS: 'general, Lobby ,general',
          }),
        },
      ],
    }).compile();
    auth = moduleRef.get(AuthService);
    jwt = moduleRef.get(JwtService);
    users = moduleRef.get(UsersRepository);
    rooms = moduleRef.get(RoomsRepository);
    sessions = moduleRef.get(SessionsService);
    await moduleRef.get(DefaultRooms).onApplicationBootstrap();
    joined.length = 0;
  });

  describe('register', () => {
    it('makes the new account a member of the default rooms, made when missing, and says so', async () => {
      const { user } = await auth.register({ username: uniqueName('ada'), password: PASSWORD });

      const general = await rooms.findPublicByName('GENERAL');
      const lobby = await rooms.findPublicByName('lobby');
      expect(lobby).toMatchObject({ name: 'Lobby', isPrivate: false, createdBy: null });
      expect(await rooms.roomIdsOf(user.id)).toEqual([general!.id, lobby!.id]);
      expect(joined).toEqual([general!.id, lobby!.id]);
      expect(
        (await rooms.listVisibleTo(null)).filter((room) => room.name === 'general'),
      ).toHaveLength(1);
    });

    it('creates the user and answers a bearer token for it', async () => {
      const username = uniqueName('ada');

      const response = await auth.register({ username, password: PASSWORD });

      expect(response).toMatchObject({
        user: { username, online: false },
        token_type: 'Bearer',
        expires_in: 60,
      });
      expect(response.user.id).toBeGreaterThan(0);
      expect(new Date(response.user.created_at).toISOString()).toBe(response.user.created_at);
      expect(await auth.verifyToken(response.access_token)).toEqual({
        id: response.user.id,
        username,
      });
    });

    it('never answers the password or its hash', async () => {
      const response = await auth.register({ username: uniqueName('ada'), password: PASSWORD });

      expect(Object.keys(response.user).sort()).toEqual(USER_FIELDS);
      expect(JSON.stringify(response)).not.toContain(PASSWORD);
      expect(JSON.stringify(response)).not.toContain('$argon2');
    });

    it('refuses a username taken in another case with username_taken', async () => {
      const username = uniqueName('grace');
      await auth.register({ username, password: PASSWORD });

      const error = await rejection(
        auth.register({ username: username.toUpperCase(), password: 'another password' }),
      );

      expect(error).toBeInstanceOf(UsersError);
      expect(error).toMatchObject({ code: ErrorCode.UsernameTaken });
    });
  });

  describe('login', () => {
    let username: string;
    let userId: number;

    beforeEach(async () => {
      username = uniqueName('linus');
      userId = (await auth.register({ username, password: PASSWORD })).user.id;
    });

    it('answers a token for the right password', async () => {
      const response = await auth.login({ username, password: PASSWORD });

      expect(response.user).toMatchObject({ id: userId, username });
      expect(Object.keys(response.user).sort()).toEqual(USER_FIELDS);
      expect(response.token_type).toBe('Bearer');
      expect(await auth.verifyToken(response.access_token)).toEqual({ id: userId, username });
    });

    it('answers invalid_credentials alike for a wrong password and an unknown user', async () => {
      const wrongPassword = await rejection(auth.login({ username, password: 'wrong password' }));
      const unknownUser = await rejection(
        auth.login({ username: uniqueName('nobody'), password: PASSWORD }),
      );

      expect(wrongPassword).toBeInstanceOf(AuthError);
      expect(unknownUser).toBeInstanceOf(AuthError);
      expect(wrongPassword).toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect(unknownUser).toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect((unknownUser as AuthError).message).toBe((wrongPassword as AuthError).message);
    });

    it('does not take the stored hash as the password', async () => {
      const { passwordHash } = (await users.findByUsername(username))!;

      const error = await rejection(auth.login({ username, password: passwordHash }));

      expect(error).toMatchObject({ code: ErrorCode.InvalidCredentials });
    });
  });

  describe('verifyToken', () => {
    let user: { id: number; username: string };
    /** The registration's session, which the tokens signed here name. */
    let sid: string;
    let token: string;

    beforeEach(async () => {
      const response = await auth.register({ username: uniqueName('tok'), password: PASSWORD });
      user = { id: response.user.id, username: response.user.username };
      token = response.access_token;
      sid = jwt.decode<{ sid: string }>(token).sid;
    });

    const expectUnauthorized = async (token: string) => {
      const error = await rejection(auth.verifyToken(token));
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: ErrorCode.Unauthorized });
    };

    it('answers the user of a valid token', async () => {
      const token = await jwt.signAsync({ sub: user.id, username: user.username, sid });

      expect(await auth.verifyToken(token)).toEqual(user);
    });

    it('answers the session of a token with its user and expiry', async () => {
      const { exp } = jwt.decode<{ exp: number }>(token);

      expect(await auth.verifySession(token)).toEqual({
        user,
        sessionId: sid,
        expiresAt: exp * 1000,
      });
    });

    it('refuses a token without a session, as tokens issued before sessions were', async () => {
      await expectUnauthorized(await jwt.signAsync({ sub: user.id, username: user.username }));
    });

    it('refuses a token of a session that never was, or of another user', async () => {
      const other = await auth.register({ username: uniqueName('tok'), password: PASSWORD });
      const othersSid = jwt.decode<{ sid: string }>(other.access_token).sid;

      await expectUnauthorized(
        await jwt.signAsync({ sub: user.id, username: user.username, sid: randomUUID() }),
      );
      await expectUnauthorized(
        await jwt.signAsync({ sub: user.id, username: user.username, sid: othersSid }),
      );
    });

    it('refuses a token it accepted before, once its session has ended', async () => {
      const login = await auth.login({ username: user.username, password: PASSWORD });
      expect(await auth.verifyToken(token)).toEqual(user);

      await sessions.endSession(sid);

      const error = await rejection(auth.verifyToken(token));
      expect(error).toMatchObject({
        code: ErrorCode.Unauthorized,
        message: expect.stringContaining('session has ended'),
      });
      // The user's other session goes on.
      expect(await auth.verifyToken(login.access_token)).toEqual(user);
    });

    it('gives each sign-in a session of its own', async () => {
      const login = await auth.login({ username: user.username, password: PASSWORD });

      expect(jwt.decode<{ sid: string }>(login.access_token).sid).not.toBe(sid);
    });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const signer = new JwtService({ secret: SECRET });
      const withExpiry = (exp: number) =>
        signer.signAsync({ sub: user.id, username: user.username, sid, iat: now - 120, exp });

      await expectUnauthorized(await withExpiry(now - 60));
      // The same token, still valid, is accepted: only the expiry made the difference.
      expect(await auth.verifyToken(await withExpiry(now + 60))).toEqual(user);
    });

    it('refuses a token it accepted before, once the token has expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new JwtService({ secret: SECRET }).signAsync({
        sub: user.id,
        username: user.username,
        sid,
        iat: now,
        exp: now + 60,
      });
      expect(await auth.verifyToken(token)).toEqual(user);

      jest.useFakeTimers({ now: (now + 60) * 1000, doNotFake: ['nextTick', 'setImmediate'] });
      try {
        await expectUnauthorized(token);
      } finally {
        jest.useRealTimers();
      }
    });

    it('refuses a token signed with another secret', async () => {
      const token = await new JwtService({ secret: 'another-secret-of-16-chars' }).signAsync({
        sub: user.id,
        username: user.username,
      });

      await expectUnauthorized(token);
    });

    it('refuses an unsigned token (alg: none)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const payload = { sub: user.id, username: user.username, iat: now, exp: now + 60 };
      const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;

      await expectUnauthorized(token);
    });

    it('refuses a token signed with another algorithm', async () => {
      const token = await jwt.signAsync(
        { sub: user.id, username: user.username, sid },
        { algorithm: 'HS512' },
      );

      await expectUnauthorized(token);
    });

    it('refuses a valid token for a user that does not exist', async () => {
      const token = await jwt.signAsync({ sub: 2_000_000_000, username: 'ghost_user', sid });

      await expectUnauthorized(token);
    });

    it('refuses a token whose subject is not a numeric id', async () => {
      await expectUnauthorized(await jwt.signAsync({ sub: String(user.id), username: 'x', sid }));
      await expectUnauthorized(await jwt.signAsync({ username: user.username, sid }));
    });

    it.each(['', 'garbage', 'a.b.c'])('refuses the malformed token %j', async (token) => {
      await expectUnauthorized(token);
    });
  });
});
