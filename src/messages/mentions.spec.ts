import { mentionedNames } from './mentions';

describe('mentionedNames', () => {
  it('finds @names in any letter case, lower-cased, once each, in order', () => {
    expect(mentionedNames('@Ada and @grace_h, then @ADA again')).toEqual(['ada', 'grace_h']);
  });

  it('takes a name at the start, after spaces, punctuation or brackets', () => {
    expect(mentionedNames('@ada (@bob) "@cyd": hi,@dee')).toEqual(['ada', 'bob', 'cyd', 'dee']);
  });

  it('names nobody inside a word or an address', () => {
    expect(mentionedNames('mail ada@example.org or x@bob, @@cyd')).toEqual([]);
  });

  it('also counts a name without the dots or dashes that end a sentence', () => {
    expect(mentionedNames('thanks @ada. and @bob-')).toEqual(['ada.', 'ada', 'bob-', 'bob']);
  });

  it('skips what cannot be a username: too short or too long', () => {
    expect(mentionedNames(`@ab @${'x'.repeat(33)} @abc`)).toEqual(['abc']);
  });

  it('looks up at most 50 names per message', () => {
    const text = Array.from({ length: 80 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionedNames(text)).toHaveLength(50);
  });
});
