import { inputShapeError, MAX_INPUT_DEPTH } from './input-shape';

/** `value` wrapped in `depth` arrays. */
function nested(value: unknown, depth: number): unknown {
  let current = value;
  for (let i = 0; i < depth; i++) current = [current];
  return current;
}

describe('inputShapeError', () => {
  it.each([
    ['a flat body', { content: 'hi', client_msg_id: 'abc', room_id: 1 }],
    ['emoji, joiners and variation selectors', { content: '👩‍💻 🏳️‍🌈 a\uFE0F' }],
    ['nesting up to the limit', { list: nested('x', MAX_INPUT_DEPTH - 1) }],
    ['primitives', 42],
    ['null', null],
    ['a long flat array', { items: Array.from({ length: 20_000 }, (_, i) => i) }],
  ])('accepts %s', (_, value) => {
    expect(inputShapeError(value)).toBeUndefined();
  });

  it.each([
    ['content nested 5,000 deep', { content: nested('hi', 5000) }, 'content', /nest/],
    ['nesting one past the limit', { list: nested('x', MAX_INPUT_DEPTH) }, 'list', /nest/],
    ['a deep top-level array', nested(1, 100), 'body', /nest/],
    ['a lone high surrogate', { content: 'a\ud800b' }, 'content', /well-formed/],
    ['a lone low surrogate in an array', { tags: ['ok', '\udc00'] }, 'tags', /well-formed/],
    ['a lone surrogate at the top', '\ud800', 'body', /well-formed/],
    ['a key with a lone surrogate', { '\ud800': 1 }, 'body', /keys/],
    ['a __proto__ key', JSON.parse('{"content":"hi","__proto__":{"x":1}}'), '__proto__', /exist/],
    ['a constructor key', { content: 'hi', constructor: 'x' }, 'constructor', /exist/],
    ['a nested prototype key', { outer: { prototype: 1 } }, 'outer', /prototype/],
  ])('refuses %s, naming the field', (_, value, field, message) => {
    expect(inputShapeError(value)).toEqual({ field, message: expect.stringMatching(message) });
  });
});
