/** A sign-in (register or login): the tokens it issued work as long as it lives. */
export interface Session {
  /** Random and unguessable (a UUID): the `sid` claim of its tokens. */
  id: string;
  userId: number;
  createdAt: Date;
  /** When a request or connection last used it, to the minute (see LiveSessions). */
  lastUsedAt: Date;
  /** The User-Agent header of the sign-in, to tell sessions apart; null when none was sent. */
  userAgent: string | null;
  /** When its tokens expire: after that it is over anyway. */
  expiresAt: Date;
}
