import { describe, expect, it } from '@jest/globals';
import { Alerts, type AlertInput } from './alerts';
import { ME, OTHER, messageFixture } from './spec-fixtures';

const DM = 4;
const CHANNEL = 5;

function input(
  fields: Partial<AlertInput> & { mentions?: number[]; roomId?: number; id?: number },
) {
  const { mentions = [], roomId = CHANNEL, id = 100, ...rest } = fields;
  return {
    event: 'message',
    message: messageFixture({
      id,
      room_id: roomId,
      user_id: OTHER,
      username: 'ada',
      content: 'hello   there',
      mentions,
    }),
    roomName: roomId === DM ? 'ada' : 'general',
    roomKind: roomId === DM ? 'direct' : 'channel',
    currentRoom: null,
    hidden: false,
    enabled: true,
    permission: 'granted',
    ...rest,
  } satisfies AlertInput;
}

describe('Alerts: which messages make a desktop notification', () => {
  it('a mention event, unless its room is on screen in a visible page', () => {
    const alerts = new Alerts(ME);
    expect(alerts.decide(input({ event: 'mention', currentRoom: CHANNEL }))).toBeNull();
    expect(alerts.decide(input({ event: 'mention', currentRoom: 9 }))).toEqual({
      reason: 'mention',
      title: 'ada mentioned you in general',
      body: 'hello there',
      tag: 'message-100',
      roomId: CHANNEL,
    });
    expect(
      new Alerts(ME).decide(input({ event: 'mention', currentRoom: CHANNEL, hidden: true })),
    ).not.toBeNull();
  });

  it('a message of a direct room while the page is hidden, not while it is visible', () => {
    const alerts = new Alerts(ME);
    expect(alerts.decide(input({ roomId: DM }))).toBeNull();
    expect(alerts.decide(input({ roomId: DM, hidden: true }))).toMatchObject({
      reason: 'direct',
      title: 'ada (direct message)',
    });
    expect(alerts.decide(input({ roomId: CHANNEL, hidden: true }))).toBeNull();
  });

  it('a message naming the viewer counts as a mention, but notifies once', () => {
    const alerts = new Alerts(ME);
    expect(alerts.decide(input({ mentions: [ME], hidden: true }))).not.toBeNull();
    expect(alerts.decide(input({ event: 'mention', hidden: true }))).toBeNull();
  });

  it('never without permission, when turned off, for own or deleted messages', () => {
    const alerts = new Alerts(ME);
    const hiddenDm = { roomId: DM, hidden: true };
    expect(alerts.decide(input({ ...hiddenDm, permission: 'default' }))).toBeNull();
    expect(alerts.decide(input({ ...hiddenDm, permission: 'denied' }))).toBeNull();
    expect(alerts.decide(input({ ...hiddenDm, permission: 'unsupported' }))).toBeNull();
    expect(alerts.decide(input({ ...hiddenDm, enabled: false }))).toBeNull();
    const own = input(hiddenDm);
    own.message.user_id = ME;
    expect(alerts.decide(own)).toBeNull();
    const deleted = input(hiddenDm);
    deleted.message.deleted = true;
    expect(alerts.decide(deleted)).toBeNull();
  });

  it('shortens a long body to one line', () => {
    const long = input({ roomId: DM, hidden: true });
    long.message.content = `${'word '.repeat(60)}\nend`;
    const body = new Alerts(ME).decide(long)!.body;
    expect(body.length).toBe(140);
    expect(body.endsWith('…')).toBe(true);
    expect(body).not.toContain('\n');
  });
});
