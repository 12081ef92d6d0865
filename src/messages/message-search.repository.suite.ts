import { createRoom, createUser, RepositoriesSetup } from '../database/repositories.suite';
import type { Room } from '../rooms/room';
import type { RoomsRepository } from '../rooms/rooms.repository';
import type { User } from '../users/user';
import type { Message } from './message';
import { parseSearchQuery } from './message-search';
import type { MessageSearch, MessagesRepository } from './messages.repository';

/** The contract of MessagesRepository.search, run against every store: they find the same. */
export function describeMessageSearchRepository(setup: RepositoriesSetup): void {
  describe('MessagesRepository search', () => {
    let rooms: RoomsRepository;
    let messages: MessagesRepository;
    let author: User;
    let room: Room;
    let other: Room;

    beforeEach(async () => {
      let users;
      ({ users, rooms, messages } = await setup());
      author = await createUser(users);
      room = await createRoom(rooms, author);
      other = await createRoom(rooms, author);
    });

    const send = async (content: string, roomId = room.id): Promise<Message> => {
      const stored = await messages.create({
        roomId,
        userId: author.id,
        username: author.username,
        content,
        clientMsgId: null,
        replyTo: null,
        mentions: [],
      });
      if (!stored) throw new Error(`the store refused "${content}"`);
      return stored.message;
    };

    const search = (q: string, options: Partial<Omit<MessageSearch, 'query'>> = {}) =>
      messages.search({
        roomIds: [room.id],
        limit: 50,
        ...options,
        query: parseSearchQuery(q)!,
      });

    const contentsFound = async (q: string, options: Partial<Omit<MessageSearch, 'query'>> = {}) =>
      (await search(q, options)).map((message) => message.content);

    it('finds every word as a whole word, in any letter case, newest first', async () => {
      await send('The quick brown fox');
      await send('a QUICK, Brown dog!');
      await send('quickly browned');
      await send('brown only');

      expect(await contentsFound('quick brown')).toEqual([
        'a QUICK, Brown dog!',
        'The quick brown fox',
      ]);
      expect(await contentsFound('BROWN Quick fox')).toEqual(['The quick brown fox']);
      expect(await contentsFound('quickly')).toEqual(['quickly browned']);
      expect(await contentsFound('quic')).toEqual([]);
    });

    it('answers the stored messages themselves', async () => {
      const sent = await send('find me here');
      expect(await search('find')).toEqual([sent]);
    });

    it('finds phrases in order, leaves out -words, and takes alternatives', async () => {
      await send('deploy failed on staging');
      await send('failed deploy on production');
      await send('release notes are out');

      expect(await contentsFound('"deploy failed"')).toEqual(['deploy failed on staging']);
      expect(await contentsFound('deploy -staging')).toEqual(['failed deploy on production']);
      expect(await contentsFound('deploy -"deploy failed"')).toEqual([
        'failed deploy on production',
      ]);
      expect(await contentsFound('staging or release')).toEqual([
        'release notes are out',
        'deploy failed on staging',
      ]);
      expect(await contentsFound('Failed production OR notes')).toEqual([
        'release notes are out',
        'failed deploy on production',
      ]);
    });

    it('finds words with accents and digits, and terms written with punctuation', async () => {
      await send('Café Émile at 10am');
      await send("don't stop the e-mail");

      expect(await contentsFound('café ÉMILE')).toEqual(['Café Émile at 10am']);
      expect(await contentsFound('10am')).toEqual(['Café Émile at 10am']);
      expect(await contentsFound("DON'T")).toEqual(["don't stop the e-mail"]);
      expect(await contentsFound('e-mail')).toEqual(["don't stop the e-mail"]);
    });

    it('searches only the rooms given', async () => {
      await send('lantern in room', room.id);
      await send('lantern in other', other.id);

      expect(await contentsFound('lantern')).toEqual(['lantern in room']);
      expect(await contentsFound('lantern', { roomIds: [room.id, other.id] })).toEqual([
        'lantern in other',
        'lantern in room',
      ]);
      expect(await contentsFound('lantern', { roomIds: [] })).toEqual([]);
    });

    it('pages newest first with before and limit, across rooms, never skipping or repeating', async () => {
      const sent: Message[] = [];
      for (let i = 0; i < 7; i++) {
        sent.push(await send(`page word ${i}`, i % 2 === 0 ? room.id : other.id));
        await send(`filler ${i}`, room.id);
      }
      const newestFirst = sent.map((message) => message.id).reverse();
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await search('page', { roomIds: [room.id, other.id], limit: 3, before });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        seen.push(...page.map((message) => message.id));
        before = page[page.length - 1].id;
      }
      expect(seen).toEqual(newestFirst);
    });

    it('never finds a deleted message', async () => {
      const gone = await send('ephemeral words');
      const kept = await send('ephemeral but kept');
      const deleted = await messages.change({
        kind: 'delete',
        roomId: room.id,
        messageId: gone.id,
        userId: author.id,
      });
      expect(deleted.kind).toBe('changed');

      expect((await search('ephemeral')).map((message) => message.id)).toEqual([kept.id]);
    });

    it('finds an edited message by its new words only', async () => {
      const message = await send('original wording');
      await messages.change({
        kind: 'edit',
        roomId: room.id,
        messageId: message.id,
        userId: author.id,
        content: 'revised wording',
        mentions: [],
      });

      expect(await contentsFound('original')).toEqual([]);
      expect(await contentsFound('revised')).toEqual(['revised wording']);
    });
  });
}
