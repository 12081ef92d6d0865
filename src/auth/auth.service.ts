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
import { VerifiedTokens } from './verified-tokens';

interface TokenPayload {
  sub: number;
  username: string;
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
  ) {}

  /** A new account, already a member of the default rooms, so it can start talking at once. */
  async register(dto: RegisterDto): Promise<AuthResponse> {
    const user = await this.users.register(dto.username, dto.password);
    await this.defaultRooms.join({ id: user.id, username: user.username });
    return this.issue(user);
  }

  async login(dto: LoginDto): Promise<AuthResponse> {
    const user = await this.users.verifyCredentials(dto.username, dto.password);
    if (!user) throw AuthError.invalidCredentials();
    // Said only to whoever knows the password.
    if (user.deactivatedAt !== null) throw AuthError.accountDeactivated();
    return this.issue(user);
  }

  /** Needs the current password. */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto): Promise<void> {
    if (!(await this.users.changePassword(auth.id, dto.current_password, dto.new_password))) {
      throw AuthError.invalidCredentials();
    }
  }

  /** The token's user, still existing; used by HTTP and the real-time transports alike. */
  async verifyToken(token: string): Promise<AuthUser> {
    return (await this.verifySession(token)).user;
  }

  /** The token's user and when the token expires (ms since the epoch), for long-lived connections. */
  async verifySession(token: string): Promise<{ user: AuthUser; expiresAt: number }> {
    const payload = this.verified.get(token) ?? (await this.verifySignature(token));
    const user = Number.isSafeInteger(payload.sub) ? await this.users.findById(payload.sub) : null;
    if (!user) throw AuthError.unauthorized();
    return { user: { id: user.id, username: user.username }, expiresAt: payload.exp * 1000 };
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

  private async issue(user: User): Promise<AuthResponse> {
    const payload: TokenPayload = { sub: user.id, username: user.username };
    return {
      user: await this.users.toResponse(user),
      access_token: await this.jwt.signAsync(payload),
      token_type: 'Bearer',
      expires_in: this.config.jwt.expiresInSeconds,
    };
  }
}
