import { loadConfig } from '../config/load-config';
import { InitialAdmin } from './initial-admin';
import { PasswordHasher } from './password-hasher';
import { UsersMemoryRepository } from './users.memory.repository';

describe('InitialAdmin', () => {
  let users: UsersMemoryRepository;
  const hasher = new PasswordHasher();

  beforeEach(() => {
    users = new UsersMemoryRepository();
  });

  const ensure = (env: Record<string, string>) =>
    new InitialAdmin(users, hasher, loadConfig(env)).onApplicationBootstrap();

  it('does nothing without ADMIN_USERNAME', async () => {
    await ensure({});

    expect(await users.list()).toEqual([]);
  });

  it('makes the named account with the password, as an admin, before anyone signs up', async () => {
    await ensure({ ADMIN_USERNAME: 'root_1', ADMIN_PASSWORD: 'a long password' });

    const admin = await users.findByUsername('root_1');
    expect(admin).toMatchObject({ id: 1, role: 'admin' });
    expect(await hasher.verify(admin!.passwordHash, 'a long password')).toBe(true);
    expect((await users.create({ username: 'later', passwordHash: 'x' }))!.role).toBe('user');
  });

  it('makes a missing account an admin in a store that has users', async () => {
    await users.create({ username: 'first', passwordHash: 'x' });

    await ensure({ ADMIN_USERNAME: 'root_1', ADMIN_PASSWORD: 'a long password' });

    expect(await users.findByUsername('root_1')).toMatchObject({ role: 'admin' });
  });

  it('makes an existing account (any letter case) an admin, keeping its password', async () => {
    await users.create({ username: 'first', passwordHash: 'x' });
    const grace = await users.create({ username: 'Grace', passwordHash: 'grace-hash' });

    await ensure({ ADMIN_USERNAME: 'grace', ADMIN_PASSWORD: 'another password' });

    expect(await users.findByUsername('grace')).toEqual({
      ...grace,
      role: 'admin',
      passwordHash: 'grace-hash',
    });
  });

  it('makes nobody when the account is missing and no password is given', async () => {
    await ensure({ ADMIN_USERNAME: 'root_1' });

    expect(await users.list()).toEqual([]);
  });
});
