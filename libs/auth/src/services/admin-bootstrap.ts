import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigError, StartupTasks } from '@mekong/common';
import { AccountService } from './account.service';
import { KeyStore } from './key-store.service';
import { PasswordService } from './password.service';

/**
 * Startup work of the identity context once its schema is migrated: load (or create) signing
 * keys, then create the ADMIN_USERNAME account if it does not exist yet.
 */
@Injectable()
export class IdentityStartup implements OnModuleInit {
  private readonly logger = new Logger('IdentityStartup');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly startup: StartupTasks,
    private readonly keys: KeyStore,
    private readonly accounts: AccountService,
    private readonly passwords: PasswordService,
  ) {}

  onModuleInit(): void {
    this.startup.register({ name: 'identity:keys', order: 5, run: () => this.keys.load() });
    this.startup.register({ name: 'identity:admin', order: 10, run: () => this.bootstrapAdmin() });
  }

  private async bootstrapAdmin(): Promise<void> {
    const admin = this.config.admin;
    if (!admin) return;
    const weakness = this.passwords.weakness(admin.password, [admin.username]);
    if (weakness) throw new ConfigError([`ADMIN_PASSWORD refused: ${weakness}`]);
    const created = await this.accounts.createIfAbsent({
      username: admin.username,
      password: admin.password,
      role: 'admin',
    });
    if (created) this.logger.log('bootstrap admin account created');
  }
}
