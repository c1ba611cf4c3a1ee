import { Module } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { AuditModule } from '../audit/audit.module';
import { GatewayConfig } from '../config';
import { AccountNotices } from '../users/account-notices';
import { PasswordHasher } from '../users/password-hasher';
import { totpBox } from '../users/totp';
import { AuthThrottle } from './auth-throttle';
import { SessionAuth } from './session-auth';
import { SessionService } from './session.service';

/** Sessions, the sign-in throttle and what they need; the guard (AccessModule) uses SessionAuth. */
@Module({
  imports: [AuditModule],
  providers: [
    PasswordHasher,
    AuthThrottle,
    AccountNotices,
    SessionService,
    SessionAuth,
    {
      provide: 'TOTP_BOX',
      inject: [SERVICE_CONFIG],
      useFactory: (config: GatewayConfig): SecretBox =>
        totpBox(config.MASTER_KEYS, config.OPERATOR_TOKEN),
    },
  ],
  exports: [PasswordHasher, AuthThrottle, AccountNotices, SessionService, SessionAuth, 'TOTP_BOX'],
})
export class SessionsModule {}
