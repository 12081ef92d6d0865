import { describe, expect, it } from '@jest/globals';
import { reactionEmoji } from './emoji';

describe('reactionEmoji', () => {
  it.each(['👍', '👍🏽', '👨‍👩‍👧', '🇫🇷', '1️⃣', '❤️', '🏳️‍🌈', '🏴󠁧󠁢󠁥󠁮󠁧󠁿'])('accepts %s as it is', (emoji) => {
    expect(reactionEmoji(emoji)).toBe(emoji);
  });

  it('gives a symbol typed without its emoji selector the selector', () => {
    expect(reactionEmoji('❤')).toBe('❤️');
    expect(reactionEmoji('☺')).toBe('☺️');
  });

  it.each([
    '',
    'a',
    'abc',
    '👍👍',
    '👍 ',
    ' 👍',
    '1',
    '#',
    '👍a',
    '\u200d',
    '\uFE0F',
    '👍'.repeat(20),
  ])('refuses %j', (text) => {
    expect(reactionEmoji(text)).toBeNull();
  });
});
