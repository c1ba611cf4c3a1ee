import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { SessionsController } from '../sessions/sessions.controller';
import { SessionsModule } from '../sessions/sessions.module';
import {
  InvitationsController,
  OperatorsController,
  PasswordResetsController,
  TenantInvitationsController,
  UsersController,
} from './users.controller';
import { UsersService } from './users.service';

/** People: sign-in routes, users, invitations, password resets, operators. */
@Module({
  imports: [SessionsModule, AuditModule],
  controllers: [
    SessionsController,
    UsersController,
    InvitationsController,
    PasswordResetsController,
    OperatorsController,
    TenantInvitationsController,
  ],
  providers: [UsersService],
})
export class UsersModule {}
