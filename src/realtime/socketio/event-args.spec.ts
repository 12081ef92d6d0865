import { eventArgs } from './event-args';

describe('eventArgs', () => {
  const ack = () => undefined;

  it('takes a trailing function as the acknowledgement', () => {
    expect(eventArgs([{ room_id: 1 }, ack])).toEqual({ payload: { room_id: 1 }, ack });
  });

  it('gives the one argument as the payload, several as an array, none as undefined', () => {
    expect(eventArgs(['text'])).toEqual({ payload: 'text', ack: undefined });
    expect(eventArgs([1, 2, ack])).toEqual({ payload: [1, 2], ack });
    expect(eventArgs([ack])).toEqual({ payload: undefined, ack });
    expect(eventArgs([])).toEqual({ payload: undefined, ack: undefined });
  });
});
