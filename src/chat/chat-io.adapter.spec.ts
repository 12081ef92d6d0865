import { EventEmitter } from 'node:events';
import type { INestApplicationContext } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { of } from 'rxjs';
import type { Socket } from 'socket.io';
import { loadConfig } from '../config/load-config';
import { ChatIoAdapter } from './chat-io.adapter';

/** A socket as the adapter sees it: events in, `emit` of what goes out recorded apart. */
class FakeSocket extends EventEmitter {
  readonly data = {};
  readonly sent: unknown[][] = [];
  send(event: string, ...args: unknown[]): boolean {
    return super.emit(event, ...args);
  }
  override emit(event: string, ...args: unknown[]): boolean {
    this.sent.push([event, ...args]);
    return true;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ChatIoAdapter message handlers', () => {
  const adapter = new ChatIoAdapter(
    {} as INestApplicationContext,
    loadConfig({ JWT_SECRET: 'adapter-spec-secret' }),
  );

  function bind(callback: MessageMappingProperties['callback'], isAckHandledManually = false) {
    const socket = new FakeSocket();
    adapter.bindMessageHandlers(socket as unknown as Socket, [
      { message: 'ping', methodName: 'ping', callback, isAckHandledManually },
    ]);
    return socket;
  }

  it('passes the payload and answers the acknowledgement with the handler’s result', async () => {
    const callback = jest.fn(async (data: unknown) => ({ ok: true, echo: data }));
    const socket = bind(callback);
    const ack = jest.fn();
    socket.send('ping', { n: 1 }, ack);
    await flush();
    expect(callback).toHaveBeenCalledWith({ n: 1 }, ack);
    expect(ack).toHaveBeenCalledWith({ ok: true, echo: { n: 1 } });
  });

  it('hands over a payload without an acknowledgement as it came', async () => {
    const callback = jest.fn(async () => undefined);
    const socket = bind(callback);
    socket.send('ping', 'just this');
    socket.send('ping', 1, 2);
    await flush();
    expect(callback.mock.calls).toEqual([
      ['just this', undefined],
      [[1, 2], undefined],
    ]);
  });

  it('emits an {event, data} result as an event instead', async () => {
    const socket = bind(async () => ({ event: 'pong', data: { at: 1 } }));
    const ack = jest.fn();
    socket.send('ping', {}, ack);
    await flush();
    expect(socket.sent).toEqual([['pong', { at: 1 }]]);
    expect(ack).not.toHaveBeenCalled();
  });

  it('answers once per value of an observable result', async () => {
    const socket = bind(() => of({ event: 'a', data: 1 }, { event: 'b', data: 2 }));
    socket.send('ping', {});
    await flush();
    expect(socket.sent).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('leaves the acknowledgement to a handler that takes it itself', async () => {
    const socket = bind(async () => ({ ok: true }), true);
    const ack = jest.fn();
    socket.send('ping', {}, ack);
    await flush();
    expect(ack).not.toHaveBeenCalled();
  });

  it('handles one socket’s events one at a time, in arrival order', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const socket = bind(async (data: unknown) => {
      order.push(`start ${String(data)}`);
      if (data === 'slow') await firstHeld;
      order.push(`end ${String(data)}`);
      return { ok: true };
    });
    socket.send('ping', 'slow');
    socket.send('ping', 'quick');
    await flush();
    expect(order).toEqual(['start slow']);
    releaseFirst();
    await flush();
    expect(order).toEqual(['start slow', 'end slow', 'start quick', 'end quick']);
  });

  it('logs a handler that fails past its filter and keeps serving the event', async () => {
    const logged = jest.spyOn(adapter['logger'], 'error').mockImplementation(() => undefined);
    let calls = 0;
    const socket = bind(() => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return Promise.resolve({ ok: true });
    });
    const ack = jest.fn();
    socket.send('ping', {}, ack);
    socket.send('ping', {}, ack);
    await flush();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    expect(ack).toHaveBeenCalledTimes(1);
  });
});
