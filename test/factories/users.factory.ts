import { TEST_ADMIN } from '../support/test-admin';
import type { TestApp } from '../support/test-app';

let sequence = 0;

/** A name no other test of this run uses (test databases are shared within a run). */
export function uniqueName(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${sequence}`.slice(0, 32);
}

export interface RegisteredUser {
  id: number;
  username: string;
  password: string;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

export async function registerUser(
  app: Pick<TestApp, 'http'>,
  username = uniqueName(),
): Promise<RegisteredUser> {
  const password = 'correct horse battery';
  const response = await app
    .http()
    .post('/api/auth/register')
    .send({ username, password })
    .expect(201);
  const token = response.body.access_token as string;
  return { id: response.body.user.id, username, password, token, auth: `Bearer ${token}` };
}

/** The app's server admin (see TEST_ADMIN), signed in with a session of its own. */
export async function signInAdmin(app: Pick<TestApp, 'http'>): Promise<RegisteredUser> {
  const response = await app.http().post('/api/auth/login').send(TEST_ADMIN).expect(200);
  const token = response.body.access_token as string;
  return { id: response.body.user.id, ...TEST_ADMIN, token, auth: `Bearer ${token}` };
}

/** Another sign-in of the same user: a session of its own, as another tab or device has. */
export async function signIn(
  app: Pick<TestApp, 'http'>,
  user: RegisteredUser,
  userAgent = 'e2e-client/1.0',
): Promise<RegisteredUser> {
  const response = await app
    .http()
    .post('/api/auth/login')
    .set('User-Agent', userAgent)
    .send({ username: user.username, password: user.password })
    .expect(200);
  const token = response.body.access_token as string;
  return { ...user, token, auth: `Bearer ${token}` };
}
