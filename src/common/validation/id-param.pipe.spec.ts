import { RequestError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { IdParamPipe, MAX_ENTITY_ID } from './id-param.pipe';

describe('IdParamPipe', () => {
  const pipe = new IdParamPipe();

  it.each([
    ['1', 1],
    ['42', 42],
    ['1000000', 1_000_000],
    [String(MAX_ENTITY_ID), MAX_ENTITY_ID],
  ])('reads %s as %i', (value, id) => {
    expect(pipe.transform(value)).toBe(id);
  });

  it.each([
    '0',
    '00',
    '01',
    '-1',
    '+1',
    '1.5',
    '1.0',
    '1e3',
    '0x10',
    'abc',
    '12abc',
    '',
    ' 1',
    '1 ',
    String(MAX_ENTITY_ID + 1),
    '9999999999',
    '99999999999999999999',
    'NaN',
    'Infinity',
  ])('refuses %j as a validation error on id', (value) => {
    let thrown: unknown;
    try {
      pipe.transform(value);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(RequestError);
    expect(thrown).toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: [{ field: 'id', message: 'must be a positive integer' }],
    });
  });
});
