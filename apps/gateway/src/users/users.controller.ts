import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';

import { CurrentTenant, OperatorOnly, Public, Requires } from '../access/access.decorators';
import { type AuthenticatedRequest, type TenantPrincipal, auditActorOf } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { clientAddress } from '../sessions/session-cookie';
import { CookieRequest, CookieResponse as Response, SessionAuth } from '../sessions/session-auth';
import { SessionView, answerStarted } from '../sessions/sessions.controller';
import {
  AcceptInvitationDto,
  CompleteResetDto,
  CreateOperatorDto,
  InviteDto,
  RequestResetDto,
  UpdateUserDto,
} from './dto/people.dto';
import { UserView } from './user-records';
import { InvitationView, UsersService, inviterOf } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Requires('users.manage')
  @Post('invitations')
  @ApiOperation({
    summary: 'Invite a person by e-mail with a role',
    description:
      'The link (valid 7 days, single use) goes by e-mail only. Only an owner may invite an owner.',
  })
  @ApiErrors(400, 401, 403, 409, 503)
  invite(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: InviteDto,
  ): Promise<InvitationView> {
    return this.users.invite(inviterOf(tenant), body.email, body.role);
  }

  @Requires('users.manage')
  @Get('invitations')
  @ApiOperation({ summary: "This tenant's invitations (never their tokens)" })
  @ApiErrors(401, 403)
  async invitations(
    @CurrentTenant() tenant: TenantPrincipal,
  ): Promise<{ items: InvitationView[] }> {
    return { items: await this.users.listInvitations(tenant.tenantId) };
  }

  @Requires('users.manage')
  @Delete('invitations/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Withdraw an invitation not yet accepted (its link stops working)',
    description: 'Only an owner withdraws an owner invitation. An accepted one is a 410.',
  })
  @ApiErrors(400, 401, 403, 404, 410)
  withdrawInvitation(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    return this.users.withdrawInvitation(tenant, id);
  }

  @Requires('users.manage')
  @Get()
  @ApiOperation({ summary: "This tenant's people" })
  @ApiErrors(401, 403)
  async list(@CurrentTenant() tenant: TenantPrincipal): Promise<{ items: UserView[] }> {
    return { items: await this.users.list(tenant.tenantId) };
  }

  @Requires('users.manage')
  @Patch(':id')
  @ApiOperation({
    summary: "Change a person's role, or disable them",
    description: 'Disabling ends their sessions. A tenant always keeps an active owner.',
  })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(tenant, id, body);
  }

  @Requires('users.manage')
  @Delete(':id/totp')
  @ApiOperation({
    summary: "Reset a person's two-step sign-in (they lost their device)",
    description:
      'They sign in with their password again and may set it up anew. Only an owner resets an owner.',
  })
  @ApiErrors(400, 401, 403, 404, 409)
  async resetTotp(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<{ user: UserView }> {
    return { user: await this.users.resetTotp(tenant, id) };
  }
}

@ApiTags('users')
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: SessionAuth,
  ) {}

  @Public()
  @Post('accept')
  @ApiOperation({
    summary: 'Accept an invitation: choose a password, join the tenant and be signed in',
  })
  @ApiErrors(400, 409, 410)
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() request: CookieRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const started = await this.users.acceptInvitation(body.token, body.password, {
      address: clientAddress(request),
      userAgent: request.headers['user-agent'] ?? null,
    });
    response.status(201);
    return answerStarted(this.auth, started, response);
  }
}

@ApiTags('users')
@Controller('api/v1/password-resets')
export class PasswordResetsController {
  private readonly logger: Logger;

  constructor(
    private readonly users: UsersService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'password-resets' });
  }

  @Public()
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password-reset e-mail',
    description: 'Always 202 with the same answer, whether or not an account has the address.',
  })
  @ApiErrors(400)
  request(@Body() body: RequestResetDto): { accepted: true } {
    // After the answer: neither its content nor its timing depends on the account existing.
    setImmediate(() => {
      this.users.requestReset(body.email).catch((error: unknown) => {
        this.logger.warn({ err: { message: (error as Error).message } }, 'reset request failed');
      });
    });
    return { accepted: true };
  }

  @Public()
  @Post('complete')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with a reset link',
    description:
      'The link works once, for 1 hour. Every session of the account ends; a lock is lifted.',
  })
  @ApiErrors(400, 410)
  complete(@Body() body: CompleteResetDto): Promise<void> {
    return this.users.completeReset(body.token, body.password);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/operators')
export class OperatorsController {
  constructor(private readonly users: UsersService) {}

  @OperatorOnly()
  @Post()
  @ApiOperation({
    summary: 'Create an operator user (the operator token only)',
    description: 'The operator token from the environment exists to create the first operators.',
  })
  @ApiErrors(400, 401, 403, 409)
  create(@Req() request: AuthenticatedRequest, @Body() body: CreateOperatorDto): Promise<UserView> {
    const principal = request.principal;
    if (principal?.kind !== 'operator' || principal.via !== 'operator_token') {
      throw new GatewayError(
        GatewayErrorCode.OperatorTokenRequired,
        'Only the operator token (OPERATOR_TOKEN) may create operator users',
      );
    }
    return this.users.createOperator(body.email, body.password);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/tenants/:tenantId/invitations')
export class TenantInvitationsController {
  constructor(private readonly users: UsersService) {}

  @OperatorOnly()
  @Post()
  @ApiOperation({
    summary: "Invite a person to a tenant (operator): how a tenant's first owner is invited",
  })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  invite(
    @Req() request: AuthenticatedRequest,
    @Param('tenantId', uuidParam('tenantId')) tenantId: string,
    @Body() body: InviteDto,
  ): Promise<InvitationView> {
    const principal = request.principal;
    if (!principal) throw new Error('the guard lets no anonymous caller through here');
    return this.users.invite(
      { tenantId, role: 'operator', ...auditActorOf(principal) },
      body.email,
      body.role,
    );
  }
}
