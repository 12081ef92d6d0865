import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/**
 * The server admin an operator names (ADMIN_USERNAME), ensured at start: how a store whose first
 * account is not the operator's gets an admin, and how a fresh deployment gets one before anyone
 * signs up. Several processes starting together make it once.
 */
@Injectable()
export class InitialAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(InitialAdmin.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.admin) return;
    const { username, password } = this.config.admin;
    let user = await this.users.findByUsername(username);
    if (!user && password !== null) {
      await this.users.create({ username, passwordHash: await this.hasher.hash(password) });
      user = await this.users.findByUsername(username);
      if (user) this.logger.log(`made the admin account "${user.username}"`);
    }
    if (!user) {
      this.logger.warn(`ADMIN_USERNAME names no account, and no ADMIN_PASSWORD to make it with`);
      return;
    }
    if (user.role !== 'admin') {
      await this.users.setRole(user.id, 'admin');
      this.logger.log(`"${user.username}" is now a server admin`);
    }
  }
}
