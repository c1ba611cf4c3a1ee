import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';

import { Public } from '../access/access.decorators';
import { ServicePing, SystemService } from './system.service';

@ApiTags('system')
// Public on purpose: it says only whether the services answer, and start-up scripts and
// monitoring poll it without a tenant.
@Public()
@Controller('api/v1/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('ping')
  @ApiOperation({ summary: 'Reach every internal service over the TCP transport' })
  @ApiOkResponse({ description: 'Every service answered.' })
  @ApiServiceUnavailableResponse({
    description: 'At least one service did not answer; the body says which.',
  })
  async ping(): Promise<{ services: ServicePing[] }> {
    const services = await this.system.pingAll();
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
