/** How long the bench's tokens, and our server's sessions behind them, live: longer than any run. */
export const TOKEN_LIFETIME_S = 4 * 3600;
