import { uniqueName } from '../../test/factories/users.factory';
import {
  createUser,
  MISSING_ID,
  Repositories,
  RepositoriesSetup,
} from '../database/repositories.suite';
import type { UsersRepository } from './users.repository';

/** The contract of UsersRepository, run against every store. */
export function describeUsersRepository(setup: RepositoriesSetup): void {
  describe('UsersRepository', () => {
    let users: UsersRepository;

    beforeEach(async () => {
      ({ users } = (await setup()) satisfies Repositories);
    });

    describe('create', () => {
      it('stores the user and answers it without the password hash', async () => {
        const username = uniqueName('Ada');
        const user = await users.create({ username, passwordHash: 'hash-of-ada' });

        expect(user).not.toBeNull();
        expect(user!.id).toBeGreaterThan(0);
        expect(Number.isInteger(user!.id)).toBe(true);
        expect(user!.username).toBe(username);
        expect(user!.createdAt).toBeInstanceOf(Date);
        expect(user).not.toHaveProperty('passwordHash');
        expect(await users.findById(user!.id)).toEqual(user);
      });

      it('gives each user a new, greater id', async () => {
        const first = await createUser(users);
        const second = await createUser(users);

        expect(second.id).toBeGreaterThan(first.id);
      });

      it('answers null for a username taken in any case, and keeps the first', async () => {
        const username = uniqueName('case');
        const first = await users.create({ username, passwordHash: 'first' });

        expect(await users.create({ username, passwordHash: 'again' })).toBeNull();
        expect(
          await users.create({ username: username.toUpperCase(), passwordHash: 'upper' }),
        ).toBeNull();
        expect(await users.findByUsername(username)).toMatchObject({
          id: first!.id,
          passwordHash: 'first',
        });
      });

      it('lets exactly one of 20 concurrent registrations of one name succeed', async () => {
        const username = uniqueName('race');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            users.create({
              username: i % 2 === 0 ? username : username.toUpperCase(),
              passwordHash: `hash-${i}`,
            }),
          ),
        );

        const created = results.filter((user) => user !== null);
        expect(created).toHaveLength(1);
        expect(await users.findByUsername(username)).toMatchObject({ id: created[0].id });
      });
    });

    describe('findById', () => {
      it('finds a user by id', async () => {
        const user = await createUser(users);

        expect(await users.findById(user.id)).toEqual(user);
      });

      it('answers null for an unknown id', async () => {
        expect(await users.findById(MISSING_ID)).toBeNull();
      });
    });

    describe('findByIds', () => {
      it('answers the users sorted by id, skipping missing ids', async () => {
        const a = await createUser(users);
        const b = await createUser(users);
        const c = await createUser(users);

        const found = await users.findByIds([c.id, MISSING_ID, a.id, b.id]);

        expect(found).toEqual([a, b, c]);
        for (const user of found) expect(user).not.toHaveProperty('passwordHash');
      });

      it('answers [] for no ids', async () => {
        expect(await users.findByIds([])).toEqual([]);
      });

      it('answers [] when no id exists', async () => {
        expect(await users.findByIds([MISSING_ID])).toEqual([]);
      });
    });

    describe('findByUsername', () => {
      it('finds the user in any case, with the stored spelling and the hash', async () => {
        const username = uniqueName('MiXeD');
        const user = await users.create({ username, passwordHash: 'the-hash' });

        for (const asked of [username, username.toLowerCase(), username.toUpperCase()]) {
          expect(await users.findByUsername(asked)).toEqual({ ...user, passwordHash: 'the-hash' });
        }
      });

      it('answers null for an unknown username', async () => {
        expect(await users.findByUsername(uniqueName('nobody'))).toBeNull();
      });
    });

    describe('list', () => {
      it('answers every user, ordered by id, without hashes', async () => {
        const created = [await createUser(users), await createUser(users), await createUser(users)];

        const listed = await users.list();

        const ids = listed.map((user) => user.id);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        expect(new Set(ids).size).toBe(ids.length);
        expect(listed).toEqual(expect.arrayContaining(created));
        for (const user of listed) expect(user).not.toHaveProperty('passwordHash');
      });
    });

    describe('a new user', () => {
      it("is shown by the username, active, and an admin only as the store's first", async () => {
        const before = await users.list();
        const user = await createUser(users);

        expect(user).toMatchObject({ displayName: user.username, deactivatedAt: null });
        expect(user.role).toBe(before.length === 0 ? 'admin' : 'user');
      });

      it('makes exactly one admin of concurrent first users, and only in an empty store', async () => {
        const empty = (await users.list()).length === 0;
        const created = await Promise.all(Array.from({ length: 6 }, () => createUser(users)));

        const admins = created.filter((user) => user.role === 'admin');
        expect(admins).toHaveLength(empty ? 1 : 0);
      });
    });

    describe('setDisplayName', () => {
      it('changes what is shown and keeps the username', async () => {
        const user = await createUser(users);

        const changed = await users.setDisplayName(user.id, 'Ada Lovelace');

        expect(changed).toEqual({ ...user, displayName: 'Ada Lovelace' });
        expect(await users.findById(user.id)).toEqual(changed);
        expect(await users.findByUsername(user.username)).toMatchObject({
          displayName: 'Ada Lovelace',
        });
      });

      it('answers null for an unknown id', async () => {
        expect(await users.setDisplayName(MISSING_ID, 'Nobody')).toBeNull();
      });
    });

    describe('setPasswordHash', () => {
      it('replaces the hash', async () => {
        const user = await createUser(users);

        await users.setPasswordHash(user.id, 'the-new-hash');

        expect(await users.findByUsername(user.username)).toMatchObject({
          passwordHash: 'the-new-hash',
        });
      });
    });

    describe('setRole', () => {
      it('makes a user an admin and back', async () => {
        const user = await createUser(users);

        await users.setRole(user.id, 'admin');
        expect(await users.findById(user.id)).toMatchObject({ role: 'admin' });
        await users.setRole(user.id, 'user');
        expect(await users.findById(user.id)).toMatchObject({ role: 'user' });
      });
    });

    describe('setDeactivated', () => {
      it('deactivates once, keeping the first time, and reactivates', async () => {
        const user = await createUser(users);

        const deactivated = await users.setDeactivated(user.id, true);
        expect(deactivated!.deactivatedAt).toBeInstanceOf(Date);
        const again = await users.setDeactivated(user.id, true);
        expect(again!.deactivatedAt).toEqual(deactivated!.deactivatedAt);
        expect(await users.findById(user.id)).toEqual(deactivated);

        expect(await users.setDeactivated(user.id, false)).toEqual({
          ...user,
          deactivatedAt: null,
        });
      });

      it('answers null for an unknown id', async () => {
        expect(await users.setDeactivated(MISSING_ID, true)).toBeNull();
      });
    });
  });
}
