import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import type { User } from '../users/user';
import { UsersService } from '../users/users.service';
import { DefaultRooms } from '../rooms/default-rooms';
import type { AuthUser } from '../common/auth/auth-user';
import { AuthError } from './auth.error';
import { AuthResponse } from './dto/auth.response';
import type { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto, RegisterDto } from './dto/credentials.dto';
import { SessionRevocations } from './session-revocations';
import { SessionsService } from './sessions.service';
import { VerifiedTokens } from './verified-tokens';

interface TokenPayload {
  sub: number;
  username: string;
  /** The session the token belongs to: it works while the session lives. */
  sid: string;
}

/** Who a token speaks for. */
export interface VerifiedSession {
  user: AuthUser;
  sessionId: string;
  /** When the token expires (ms since the epoch). */
  expiresAt: number;
}

type VerifiedPayload = TokenPayload & { exp: number };

@Injectable()
export class AuthService {
  private readonly verified = new VerifiedTokens<VerifiedPayload>();

  constructor(
    private readonly users: UsersService,
    private readonly defaultRooms: DefaultRooms,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    revocations: SessionRevocations,
  ) {
    revocations.onEnded((ids) => {
      const ended = new Set(ids);
      this.verified.forget((payload) => ended.has(payload.sid));
    });
  }

  /**
   * A new account, already a member of the default rooms, so it can start talking at once, signed
   * in: a new session, named by the client's User-Agent.
   */
  async register(dto: RegisterDto, userAgent?: string): Promise<AuthResponse> {
    const user = await this.users.register(dto.username, dto.password);
    await this.defaultRooms.join({ id: user.id, username: user.username });
    return this.issue(user, userAgent);
  }

  /** A new session of the user, named by the client's User-Agent. */
  async login(dto: LoginDto, userAgent?: string): Promise<AuthResponse> {
    const user = await this.users.verifyCredentials(dto.username, dto.password);
    if (!user) throw AuthError.invalidCredentials();
    // Said only to whoever knows the password.
    if (user.deactivatedAt !== null) throw AuthError.accountDeactivated();
    return this.issue(user, userAgent);
  }

  /**
   * Needs the current password. Every other session of the user ends: whoever else held one
   * (a stolen token, an old device) must sign in with the new password.
   */
  async changePassword(auth: AuthUser, sessionId: string, dto: ChangePasswordDto): Promise<void> {
    if (!(await this.users.changePassword(auth, dto.current_password, dto.new_password))) {
      throw AuthError.invalidCredentials();
    }
    await this.sessions.endAllSessionsOf(auth.id, { except: sessionId });
  }

  /** The token's user, still existing; used by HTTP and the real-time transports alike. */
  async verifyToken(token: string): Promise<AuthUser> {
    return (await this.verifySession(token)).user;
  }

  /**
   * The token's user, its session, still live, and when the token expires. Tokens without a
   * session (issued before sessions were) are refused. The live session is the whole check: it
   * is the user's (the store confirms it), it ends with a deactivation, and usernames never
   * change, so no request reads the user.
   */
  async verifySession(token: string): Promise<VerifiedSession> {
    const payload = this.verified.get(token) ?? (await this.verifySignature(token));
    const { sub, username, sid } = payload;
    if (!Number.isSafeInteger(sub) || typeof username !== 'string' || typeof sid !== 'string') {
      throw AuthError.unauthorized();
    }
    await this.sessions.assertLive(sid, sub);
    return { user: { id: sub, username }, sessionId: sid, expiresAt: payload.exp * 1000 };
  }

  private async verifySignature(token: string): Promise<VerifiedPayload> {
    let payload: VerifiedPayload;
    try {
      payload = await this.jwt.verifyAsync<VerifiedPayload>(token);
    } catch {
      throw AuthError.unauthorized();
    }
    this.verified.add(token, payload);
    return payload;
  }

  private async issue(user: User, userAgent: string | undefined): Promise<AuthResponse> {
    const { expiresInSeconds } = this.config.jwt;
    const session = await this.sessions.start(
      user.id,
      userAgent,
      new Date(Date.now() + expiresInSeconds * 1000),
    );
    const payload: TokenPayload = { sub: user.id, username: user.username, sid: session.id };
    return {
      user: await this.users.toResponse(user),
      access_token: await this.jwt.signAsync(payload),
      token_type: 'Bearer',
      expires_in: expiresInSeconds,
    };
  }
}
