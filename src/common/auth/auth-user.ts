/** Who made a request, as proven by a valid access token. */
export interface AuthUser {
  id: number;
  username: string;
}
