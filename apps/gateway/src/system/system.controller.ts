import { Controller, Get, Req, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';

import { Public } from '../access/access.decorators';
import type { AuthenticatedRequest } from '../access/principal';
import { ServicePing, SystemService } from './system.service';

@ApiTags('system')
// Public on purpose: start-up scripts and monitoring poll it without a tenant. Anonymous callers
// and tenants learn only whether each service answers and how fast; the operator also gets each
// service's reply (process id, uptime) and the transport error, which describe the deployment.
@Public()
@Controller('api/v1/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('ping')
  @ApiOperation({ summary: 'Reach every internal service over the TCP transport' })
  @ApiOkResponse({
    description:
      'Every service answered. `reply` (pid, uptime) and `error` only for the operator token.',
  })
  @ApiServiceUnavailableResponse({
    description: 'At least one service did not answer; the body says which.',
  })
  async ping(@Req() request: AuthenticatedRequest): Promise<{ services: ServicePing[] }> {
    const full = await this.system.pingAll();
    const services =
      request.principal?.kind === 'operator' ? full : full.map((ping) => withoutDetails(ping));
    if (services.some((service) => !service.reachable)) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        code: 'SERVICE_UNREACHABLE',
        message: `not reachable: ${services
          .filter((s) => !s.reachable)
          .map((s) => s.service)
          .join(', ')}`,
        details: services,
      });
    }
    return { services };
  }
}

/** What anyone may know of a service: its name, whether it answered, and how fast. */
function withoutDetails({ service, reachable, latencyMs }: ServicePing): ServicePing {
  return latencyMs === undefined ? { service, reachable } : { service, reachable, latencyMs };
}
