import type { TestApp } from '../support/test-app';
import type { RegisteredUser } from './users.factory';
import { uniqueName } from './users.factory';

export interface CreatedRoom {
  id: number;
  name: string;
}

export async function createRoom(
  app: Pick<TestApp, 'http'>,
  owner: RegisteredUser,
  options: { isPrivate?: boolean; name?: string } = {},
): Promise<CreatedRoom> {
  const name = options.name ?? uniqueName('room');
  const response = await app
    .http()
    .post('/api/rooms')
    .set('Authorization', owner.auth)
    .send({ name, is_private: options.isPrivate ?? false })
    .expect(201);
  return { id: response.body.id, name };
}

export async function joinRoom(
  app: Pick<TestApp, 'http'>,
  user: RegisteredUser,
  roomId: number,
): Promise<void> {
  await app.http().post(`/api/rooms/${roomId}/join`).set('Authorization', user.auth).expect(200);
}

export async function sendMessage(
  app: Pick<TestApp, 'http'>,
  user: RegisteredUser,
  roomId: number,
  content: string,
  clientMsgId?: string,
): Promise<{ id: number; content: string }> {
  const response = await app
    .http()
    .post(`/api/rooms/${roomId}/messages`)
    .set('Authorization', user.auth)
    .send({ content, ...(clientMsgId && { client_msg_id: clientMsgId }) })
    .expect(201);
  return response.body;
}
