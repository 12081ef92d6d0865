import type { DataSource } from 'typeorm';
import type { Message } from './message';
import { toWebsearch } from './message-search';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './message-rows';
import type { MessageSearch } from './messages.repository';

/**
 * Search on PostgreSQL: `to_tsvector('simple', content) @@ websearch_to_tsquery('simple', q)`,
 * which the partial GIN index messages_content_search_idx (WHERE NOT deleted) answers, so the
 * condition is written exactly as the index's expression and predicate.
 *
 * ORDER BY id DESC LIMIT leaves the planner two ways, and it weighs them with the statistics of
 * the expression (messages_content_search_stats: a partial index's own are not used): for rare
 * words, the index's matches, kept to the rooms and sorted (a few rows); for common ones, the
 * messages walked back from the newest until `limit` match (about `limit` / the words' share of
 * the messages, whatever the table's size), since reading every match of a word found in half the
 * messages would cost more the larger the table grows. Without the statistics, it takes every
 * word for a rare one: a word in half of a million messages then costs half a second, not one
 * millisecond. What stays dear is a phrase of common words: the index finds the messages holding
 * both, the phrase is checked on each row (to_tsvector again), so a phrase found in 1 % of the
 * messages reads thousands of rows. The messages found are read in full (reactions and all) only
 * once the page is known.
 */
export async function searchMessages(db: DataSource, search: MessageSearch): Promise<Message[]> {
  if (search.roomIds.length === 0) return [];
  const { sql, parameters } = searchStatement(search);
  const rows: MessageRow[] = await db.query(sql, parameters);
  return rows.map(toMessage);
}

/** The statement of a search, apart for its spec, which checks that it can use the index. */
export function searchStatement({ roomIds, query, before, limit }: MessageSearch): {
  sql: string;
  parameters: unknown[];
} {
  const parameters: unknown[] = [roomIds, toWebsearch(query)];
  const conditions = [
    'm.room_id = ANY($1::int[])',
    'NOT m.deleted',
    "to_tsvector('simple', m.content) @@ websearch_to_tsquery('simple', $2)",
  ];
  if (before !== undefined) conditions.push(`m.id < $${parameters.push(before)}`);
  const sql = `WITH hits AS (
       SELECT m.id FROM messages m WHERE ${conditions.join(' AND ')}
       ORDER BY m.id DESC LIMIT $${parameters.push(limit)}
     )
     SELECT ${MESSAGE_COLUMNS} FROM hits JOIN messages m ON m.id = hits.id
       JOIN users u ON u.id = m.user_id
     ORDER BY m.id DESC`;
  return { sql, parameters };
}
