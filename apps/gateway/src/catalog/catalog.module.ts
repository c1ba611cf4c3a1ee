import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { CatalogService } from './catalog.service';
import { ImportsController } from './imports.controller';
import { MappingsController } from './mappings.controller';
import { OrdersController } from './orders.controller';
import { SkusController } from './skus.controller';
import { ImportUploadParser } from './upload';

/** The SKU catalog, name rules and unmapped-order routes, answered by the mapping service. */
@Module({
  imports: [AuditModule, AccessModule],
  controllers: [SkusController, MappingsController, OrdersController, ImportsController],
  providers: [CatalogService, ImportUploadParser],
})
export class CatalogModule {}
