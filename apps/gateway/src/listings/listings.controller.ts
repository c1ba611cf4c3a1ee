import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  LinkListingsBody,
  type LinkListingsCall,
  type LinkListingsResultView,
  ListListingsQuery,
  type ListListingsCall,
  LISTINGS_CALLS,
  type ListingsImportView,
  type ListingsPageView,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { CurrentTenant, Requires } from '../access/access.decorators';
import { actorOf, type TenantPrincipal } from '../access/principal';
import { GatewayConfig } from '../config';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { LimitsModule } from '../limits/limits.module';
import { RateLimiter } from '../limits/rate-limiter';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';
import { withShopSynced } from '../shops/shop-sync';

const SHOP_ID = uuidParam('id');

/**
 * Listings imported from Rakuten (issue 18): the import runs in ingestion (the only service that
 * calls Rakuten), the listings and their links live in mapping. Starting an import counts against
 * the tenant's `rakuten_calls` limit, as a manual pull does.
 */
@Injectable()
export class ListingsService {
  constructor(
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(clientToken('mapping')) private readonly mapping: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly limiter: RateLimiter,
  ) {}

  async startImport(tenant: TenantPrincipal, shopId: string): Promise<ListingsImportView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    return withShopSynced(this.credentials, this.config, tenant, shopId, (call) =>
      this.callIngestion<ListingsImportView>(LISTINGS_CALLS.importStart, call),
    );
  }

  importStatus(tenant: TenantPrincipal, shopId: string): Promise<ListingsImportView> {
    return withShopSynced(this.credentials, this.config, tenant, shopId, (call) =>
      this.callIngestion<ListingsImportView>(LISTINGS_CALLS.importStatus, call),
    );
  }

  list(tenant: TenantPrincipal, query: ListListingsQuery): Promise<ListingsPageView> {
    const call: ListListingsCall = { ...query, actor: actorOf(tenant) };
    return this.callMapping(LISTINGS_CALLS.list, call);
  }

  link(tenant: TenantPrincipal, body: LinkListingsBody): Promise<LinkListingsResultView> {
    const call: LinkListingsCall = { actor: actorOf(tenant), body };
    return this.callMapping(LISTINGS_CALLS.link, call);
  }

  private callIngestion<T>(pattern: string, payload: unknown): Promise<T> {
    return callService<T>(
      this.ingestion,
      'ingestion',
      pattern,
      payload,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }

  private callMapping<T>(pattern: string, payload: unknown): Promise<T> {
    return callService<T>(
      this.mapping,
      'mapping',
      pattern,
      payload,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }
}

@ApiTags('listings')
@ApiBearerAuth()
@Controller('api/v1')
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Post('shops/:id/listings/import')
  @Requires('shops.keys')
  @HttpCode(202)
  @ApiOperation({
    summary: "Import the shop's listings from Rakuten now",
    description:
      'Queues an items.search import of every item of the shop (100 per call, within the key’s Item API rate limit); a running import is kept, not restarted. Answers its progress; poll GET for more.',
  })
  @ApiOkResponse({ description: 'The import: state, pages, items, numFound, error, nextRunAt.' })
  @ApiErrors(400, 401, 403, 404, 409, 429, 503)
  startImport(@CurrentTenant() tenant: TenantPrincipal, @Param('id', SHOP_ID) id: string) {
    return this.listings.startImport(tenant, id);
  }

  @Get('shops/:id/listings/import')
  @Requires('read')
  @ApiOperation({ summary: "The shop's current or last listings import" })
  @ApiErrors(400, 401, 403, 404, 503)
  importStatus(@CurrentTenant() tenant: TenantPrincipal, @Param('id', SHOP_ID) id: string) {
    return this.listings.importStatus(tenant, id);
  }

  @Get('listings')
  @Requires('read')
  @ApiOperation({
    summary: 'The Rakuten listings with their link state',
    description:
      'States: linked (stock is pushed), suggested (a link found by seller code, waiting to be accepted), unlinked, hidden (hidden in RMS and not linked). Cursor paging: pass nextCursor back as cursor.',
  })
  @ApiErrors(400, 401, 403, 503)
  list(@CurrentTenant() tenant: TenantPrincipal, @Query() query: ListListingsQuery) {
    return this.listings.list(tenant, query);
  }

  @Post('listings/links')
  @Requires('catalog.write')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Link listings: accept suggestions (one by one or all of a shop) or link to a SKU code',
    description:
      '`links: [{shopId, manageNumber, variantId, skuCode?}]` (no skuCode = accept its suggestion) and/or `acceptAllSuggested: <shopId>`. Linked listings get their stock pushed to Rakuten.',
  })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  link(@CurrentTenant() tenant: TenantPrincipal, @Body() body: LinkListingsBody) {
    return this.listings.link(tenant, body);
  }
}

@Module({
  imports: [LimitsModule],
  controllers: [ListingsController],
  providers: [ListingsService],
})
export class ListingsModule {}
