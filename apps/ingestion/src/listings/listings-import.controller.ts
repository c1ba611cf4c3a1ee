import { Controller, Injectable, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { LISTINGS_CALLS, ListingsImportCall, type ListingsImportView } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { IngestionError, IngestionErrorCode } from '../ingestion.errors';
import { callersShop, whyNotCallable } from '../shops/shop-record';
import { importView, loadImport, queueManualImport } from './listings-import.store';

/** `POST|GET /shops/:id/listings/import` through the gateway. */
@Injectable()
export class ListingsImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Queues an import now (the importer picks it up within a tick); a running one is kept. */
  async start(call: ListingsImportCall): Promise<ListingsImportView> {
    const shop = await callersShop(this.dataSource, call);
    const reason = whyNotCallable(shop);
    if (reason) {
      throw new IngestionError(
        IngestionErrorCode.SHOP_NOT_PULLABLE,
        `the shop's listings cannot be imported: ${reason}`,
      );
    }
    await queueManualImport(this.dataSource, shop.id);
    return importView(shop.id, await loadImport(this.dataSource, shop.id));
  }

  async status(call: ListingsImportCall): Promise<ListingsImportView> {
    const shop = await callersShop(this.dataSource, call);
    return importView(shop.id, await loadImport(this.dataSource, shop.id));
  }
}

@Controller()
@UseFilters(ServiceCallFilter)
export class ListingsImportController {
  constructor(private readonly imports: ListingsImportService) {}

  @MessagePattern(LISTINGS_CALLS.importStart)
  start(@Payload() payload: unknown) {
    return this.imports.start(parseCall(ListingsImportCall, payload));
  }

  @MessagePattern(LISTINGS_CALLS.importStatus)
  status(@Payload() payload: unknown) {
    return this.imports.status(parseCall(ListingsImportCall, payload));
  }
}
