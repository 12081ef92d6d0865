import { describe, expect, it } from '@jest/globals';
import { complete, MentionMenu, mentionAt, mentionsMe, suggestions } from './mentions';

const NAMES = ['ada', 'Adam', 'bob', 'badass', 'carol', 'me'];

describe('mention completion', () => {
  it('finds the @name the caret ends, at the start or after a space or bracket', () => {
    expect(mentionAt('@', 1)).toEqual({ start: 0, prefix: '' });
    expect(mentionAt('hi @ad', 6)).toEqual({ start: 3, prefix: 'ad' });
    expect(mentionAt('(@bo', 4)).toEqual({ start: 1, prefix: 'bo' });
    expect(mentionAt('hi @ad there', 6)).toEqual({ start: 3, prefix: 'ad' });
    expect(mentionAt('hi @a.b-c_d', 11)).toEqual({ start: 3, prefix: 'a.b-c_d' });
  });

  it('is not an address, nor a word already ended, nor text without an @', () => {
    expect(mentionAt('mail ada@example', 16)).toBeNull();
    expect(mentionAt('hi @ada there', 13)).toBeNull();
    expect(mentionAt('hello', 5)).toBeNull();
    expect(mentionAt('', 0)).toBeNull();
  });

  it('offers names starting with the prefix first, then containing it, never the viewer', () => {
    expect(suggestions(NAMES, 'ad', 'me')).toEqual(['ada', 'Adam', 'badass']);
    expect(suggestions(NAMES, 'AD', 'me')).toEqual(['ada', 'Adam', 'badass']);
    expect(suggestions(NAMES, '', 'ME')).toEqual(['ada', 'Adam', 'badass', 'bob', 'carol']);
    expect(suggestions(NAMES, 'zz', 'me')).toEqual([]);
    expect(suggestions([...NAMES, 'ada'], 'a', 'me', 2)).toEqual(['ada', 'Adam']);
  });

  it('replaces the prefix with the name and a space, the caret after it', () => {
    const text = 'hi @ad';
    expect(complete(text, mentionAt(text, 6)!, 6, 'ada')).toEqual({ text: 'hi @ada ', caret: 8 });
    const middle = 'hi @ad see you';
    expect(complete(middle, mentionAt(middle, 6)!, 6, 'Adam')).toEqual({
      text: 'hi @Adam see you',
      caret: 9,
    });
  });

  it('tells whether a message mentions the viewer', () => {
    expect(mentionsMe({ mentions: [3, 1] }, 1)).toBe(true);
    expect(mentionsMe({ mentions: [3] }, 1)).toBe(false);
    expect(mentionsMe({ mentions: undefined as unknown as number[] }, 1)).toBe(false);
  });

  describe('the menu', () => {
    it('opens on an @name with matches, moves with wrapping, and closes', () => {
      const menu = new MentionMenu();
      menu.update('hey @', 5, NAMES, 'me');
      expect(menu.open).toBe(true);
      expect(menu.chosen()).toBe('ada');
      menu.move(-1);
      expect(menu.chosen()).toBe('carol');
      menu.move(1);
      menu.move(1);
      expect(menu.chosen()).toBe('Adam');
      menu.update('hey @zz', 7, NAMES, 'me');
      expect(menu.open).toBe(false);
      expect(menu.chosen()).toBeNull();
      menu.update('hey @b', 6, NAMES, 'me');
      menu.close();
      expect(menu.open).toBe(false);
    });

    it('keeps the active name while it is still offered as the prefix grows', () => {
      const menu = new MentionMenu();
      menu.update('@a', 2, NAMES, 'me');
      menu.move(1);
      expect(menu.chosen()).toBe('Adam');
      menu.update('@ad', 3, NAMES, 'me');
      expect(menu.chosen()).toBe('Adam');
      menu.update('@b', 2, NAMES, 'me');
      expect(menu.chosen()).toBe('badass');
    });
  });
});
