import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { AuditLogDoc } from '../docs/view-schemas';
import { AuditService, AuditEntryView } from './audit.service';
import { AuditLogQueryDto } from './dto/audit-log-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Requires('read')
  @ApiOperation({ summary: "The tenant's audit log: who changed what, newest first" })
  @ApiOkResponse({ type: AuditLogDoc })
  @ApiErrors(400, 401, 403)
  async list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: AuditLogQueryDto,
  ): Promise<{ items: AuditEntryView[] }> {
    return { items: await this.audit.list(tenant.tenantId, query.limit ?? 50) };
  }
}
