/** How many verified tokens a process remembers: a few MB at most. */
const DEFAULT_CAPACITY = 10_000;

/**
 * Tokens this process has verified, with their payloads, until they expire: a client sends the
 * same token with every request, and checking its signature again costs more than the rest of a
 * small request's handling. Only an identical token string is found; the oldest entry goes when
 * full. Tokens of sessions that end are forgotten (`forget`); whether a session is still live is
 * checked apart, on every use (SessionsService).
 */
export class VerifiedTokens<P extends { exp: number }> {
  private readonly payloads = new Map<string, P>();

  constructor(
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The payload of a token verified before and not expired since. */
  get(token: string): P | undefined {
    const payload = this.payloads.get(token);
    if (payload === undefined) return undefined;
    // As jsonwebtoken decides: expired from the second `exp` names.
    if (Math.floor(this.now() / 1000) >= payload.exp) {
      this.payloads.delete(token);
      return undefined;
    }
    return payload;
  }

  /** Forgets every token whose payload matches, such as those of ended sessions. */
  forget(matches: (payload: P) => boolean): void {
    for (const [token, payload] of this.payloads) {
      if (matches(payload)) this.payloads.delete(token);
    }
  }

  add(token: string, payload: P): void {
    if (this.payloads.size >= this.capacity) {
      this.payloads.delete(this.payloads.keys().next().value!);
    }
    this.payloads.set(token, payload);
  }
}
