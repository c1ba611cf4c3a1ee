import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Authenticated, Public } from '../access/access.decorators';
import { type Permission, permissionsOf } from '../access/roles';
import { ApiErrors } from '../docs/api-errors';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { ConfirmTotpDto, SignInDto } from '../users/dto/people.dto';
import { UserView, toUserView } from '../users/user-records';
import { UsersService } from '../users/users.service';
import { CookieRequest, CookieResponse as Response, SessionAuth } from './session-auth';
import { clientAddress, sessionCookie } from './session-cookie';
import { ActiveSession, SessionService, StartedSession } from './session.service';

export interface SessionView {
  user: UserView;
  /** What the user may do (the role's permissions in roles.ts; none for an operator). */
  permissions: Permission[];
  /** Send it back as `x-csrf-token` with every request that changes something. */
  csrfToken: string;
  expiresAt: string;
}

/** The session of a request the guard let through by cookie; a bearer caller has none. */
function sessionOf(request: CookieRequest): ActiveSession {
  if (!request.session) {
    throw new GatewayError(
      GatewayErrorCode.Unauthenticated,
      'This route is about a signed-in session: sign in with POST /api/v1/session',
    );
  }
  return request.session;
}

/** Sets the session cookie of a session just begun and answers what the browser needs. */
export function answerStarted(
  auth: SessionAuth,
  started: StartedSession,
  response: Response,
): SessionView {
  const maxAge = (started.expiresAt.getTime() - Date.now()) / 1000;
  response.setHeader(
    'Set-Cookie',
    sessionCookie(auth.cookieName, started.token, { secure: auth.secure, maxAgeSeconds: maxAge }),
  );
  response.setHeader('Cache-Control', 'no-store');
  return {
    user: started.user,
    permissions: permissionsOf(started.user.role),
    csrfToken: started.csrfToken,
    expiresAt: started.expiresAt.toISOString(),
  };
}

@ApiTags('sessions')
@ApiCookieAuth()
@Controller('api/v1')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: SessionAuth,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('session')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description:
      'Sets the session cookie (httpOnly, SameSite=Lax, Secure outside development) and answers ' +
      'the user and the CSRF token. Failed attempts are throttled per account and per address ' +
      '(429 with Retry-After); 20 lock the account until a password reset.',
  })
  @ApiErrors(400, 401, 429)
  async signIn(
    @Body() body: SignInDto,
    @Req() request: CookieRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const started = await this.sessions.signIn({
      email: body.email,
      password: body.password,
      totpCode: body.totpCode,
      address: clientAddress(request),
      userAgent: request.headers['user-agent'] ?? null,
    });
    return answerStarted(this.auth, started, response);
  }

  @Authenticated()
  @Get('session')
  @ApiOperation({ summary: 'Who is signed in (and the CSRF token again)' })
  @ApiErrors(401)
  whoAmI(@Req() request: CookieRequest): SessionView {
    const session = sessionOf(request);
    const user = toUserView(session.user);
    return {
      user,
      permissions: permissionsOf(user.role),
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  @Authenticated()
  @Delete('session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (this browser)' })
  @ApiErrors(401, 403)
  async signOut(
    @Req() request: CookieRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.sessions.signOut(sessionOf(request).sessionId);
    this.clearCookie(response);
  }

  @Authenticated()
  @Delete('sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere: every session of this user ends, this one too' })
  @ApiErrors(401, 403)
  async signOutEverywhere(
    @Req() request: CookieRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.sessions.signOutEverywhere(sessionOf(request).user.id, null);
    this.clearCookie(response);
  }

  @Authenticated()
  @Post('session/totp')
  @ApiOperation({
    summary: 'Start two-step sign-in (owners, admins, operators)',
    description:
      'Answers the secret and an otpauth:// URI for an authenticator app; confirm a code next.',
  })
  @ApiErrors(401, 403, 409)
  startTotp(@Req() request: CookieRequest): Promise<{ secret: string; otpauthUri: string }> {
    return this.users.startTotp(sessionOf(request).user);
  }

  @Authenticated()
  @Post('session/totp/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn two-step sign-in on with a code from the app' })
  @ApiErrors(400, 401, 403, 409)
  async confirmTotp(
    @Req() request: CookieRequest,
    @Body() body: ConfirmTotpDto,
  ): Promise<{ user: UserView }> {
    return { user: await this.users.confirmTotp(sessionOf(request).user.id, body.code) };
  }

  @Authenticated()
  @Post('session/totp/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Turn two-step sign-in off with a current code from the app',
    description: 'Lost the device? An owner resets it: DELETE /users/:id/totp.',
  })
  @ApiErrors(400, 401, 403, 409)
  async disableTotp(
    @Req() request: CookieRequest,
    @Body() body: ConfirmTotpDto,
  ): Promise<{ user: UserView }> {
    return { user: await this.users.disableTotp(sessionOf(request).user.id, body.code) };
  }

  private clearCookie(response: Response): void {
    response.setHeader(
      'Set-Cookie',
      sessionCookie(this.auth.cookieName, '', { secure: this.auth.secure, maxAgeSeconds: 0 }),
    );
  }
}
