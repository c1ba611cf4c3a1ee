import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ConnectionTestView,
  RegisterRakutenShopBody,
  RenewCredentialsBody,
  ShopView,
  ShopWithTestView,
  StartBackfillBody,
  UpdateShopBody,
  type BackfillListView,
  type BackfillView,
  type LastPullView,
  type PullResultView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import {
  ConnectionTestDoc,
  ConnectionTestListDoc,
  ShopDoc,
  ShopListDoc,
  ShopWithTestDoc,
} from '../docs/view-schemas';
import { uuidParam } from '../http/gateway-validation.pipe';
import { ListShopsQueryDto } from './dto/list-shops-query.dto';
import { ShopsService } from './shops.service';

const SHOP_ID = uuidParam('id');

@ApiTags('shops')
@ApiBearerAuth()
@Controller('api/v1/shops')
export class ShopsController {
  constructor(private readonly shops: ShopsService) {}

  @Post('rakuten')
  @Requires('shops.keys')
  @ApiOperation({
    summary: 'Register a Rakuten shop',
    description:
      'Stores the keys encrypted and tests the connection at once. The same Rakuten shop twice in one tenant is a 409.',
  })
  @ApiCreatedResponse({ type: ShopWithTestDoc })
  @ApiErrors(400, 401, 403, 409, 413, 415, 503)
  register(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: RegisterRakutenShopBody,
  ): Promise<ShopWithTestView> {
    return this.shops.register(tenant, body);
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: "This tenant's shops" })
  @ApiOkResponse({ type: ShopListDoc })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListShopsQueryDto,
  ): Promise<{ items: ShopView[] }> {
    return this.shops.list(tenant, query.status);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'One shop' })
  @ApiOkResponse({ type: ShopDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  get(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<ShopView> {
    return this.shops.get(tenant, id);
  }

  @Patch(':id')
  @Requires('shops.settings')
  @ApiOperation({ summary: "Change a shop's options, or disable / enable it" })
  @ApiOkResponse({ type: ShopDoc })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
    @Body() body: UpdateShopBody,
  ): Promise<ShopView> {
    return this.shops.update(tenant, id, body);
  }

  @Put(':id/credentials')
  @Requires('shops.keys')
  @ApiOperation({
    summary: 'Renew the keys (the licence key expires every 90 days)',
    description: 'Tests the new keys at once; the shop keeps its settings and history.',
  })
  @ApiOkResponse({ type: ShopWithTestDoc })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  renew(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
    @Body() body: RenewCredentialsBody,
  ): Promise<ShopWithTestView> {
    return this.shops.renewCredentials(tenant, id, body);
  }

  @Delete(':id')
  @Requires('shops.keys')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a shop and its stored keys' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 401, 403, 404, 503)
  remove(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<void> {
    return this.shops.remove(tenant, id);
  }

  @Post(':id/connection-test')
  @Requires('shops.keys')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test the connection to Rakuten with the stored keys',
    description:
      'Answers a machine-readable code and a message the seller can act on. A test never changes the stored keys.',
  })
  @ApiOkResponse({ type: ConnectionTestDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  connectionTest(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<ConnectionTestView> {
    return this.shops.connectionTest(tenant, id);
  }

  @Post(':id/pull')
  @Requires('shops.keys')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pull the shop’s orders now, outside the schedule',
    description:
      'Searches 発送待ち (300) orders over the look-back, fetches and publishes the new ones, whatever autoOrderSync says, and answers with what it found. A pull that stopped early says why (complete: false) and the next poll resumes there.',
  })
  @ApiOkResponse({
    description:
      'What the pull found: searched, new, alreadyKnown, failed, canceled, confirmed, calls.',
  })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  pull(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<PullResultView> {
    return this.shops.pull(tenant, id);
  }

  @Post(':id/backfill')
  @Requires('shops.keys')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Pull the shop’s 発送待ち orders over a past range, in the background',
    description:
      '`from` and `to` are dates (`YYYY-MM-DD`, JST days) or ISO-8601 date-times: `from` at most 730 days back (Rakuten searches no further), `to` not in the future, `from` before `to`. The range is searched in windows of at most 63 days; every order in 300 not pulled yet is published once, as a poll would. Answers at once with the backfill (state `running`); follow it with `GET /shops/:id/backfills`. One backfill per shop at a time (409 `BACKFILL_RUNNING` names the running one); a suspended, disabled or refused shop is 409 `SHOP_NOT_PULLABLE` with the reason. Counts against the `rakuten_calls` limit.',
  })
  @ApiAcceptedResponse({
    description:
      'The backfill: id, kind, state, from, to, windows {done, total}, orders {found, published, alreadyKnown, failed}, calls, error, requestedAt, startedAt, finishedAt.',
  })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 503)
  startBackfill(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
    @Body() body: StartBackfillBody,
  ): Promise<BackfillView> {
    return this.shops.startBackfill(tenant, id, body);
  }

  @Get(':id/backfills')
  @Requires('read')
  @ApiOperation({
    summary: "The shop's backfills and deep sweeps, newest first, with their progress",
    description:
      'Each: state (`running`, `done`, `failed` with `error`), windows done/total, orders found/published/alreadyKnown/failed, RMS calls, and when it was requested, started and finished; a running one that is retrying shows `lastError` and `nextAttemptAt`. `sweep` says how often the deep sweep runs, how far back, and when next (null when off).',
  })
  @ApiOkResponse({
    description: '{ items: Backfill[], sweep: { everyHours, days, nextAt } | null }',
  })
  @ApiErrors(400, 401, 403, 404, 503)
  backfills(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<BackfillListView> {
    return this.shops.backfills(tenant, id);
  }

  @Get(':id/last-pull')
  @Requires('read')
  @ApiOperation({
    summary: "The shop's last order pull (scheduled or manual) and what it found",
    description:
      '`{ lastPull: null }` before the first pull; `finishedAt: null` while one runs; `error` when it stopped early.',
  })
  @ApiOkResponse({
    description:
      '{ lastPull: { trigger, startedAt, finishedAt, searched, new, alreadyKnown, failed, canceled, error } | null }',
  })
  @ApiErrors(400, 401, 403, 404, 503)
  lastPull(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<{ lastPull: LastPullView | null }> {
    return this.shops.lastPull(tenant, id);
  }

  @Get(':id/connection-tests')
  @Requires('read')
  @ApiOperation({ summary: "The shop's connection-test history, newest first" })
  @ApiOkResponse({ type: ConnectionTestListDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  connectionTests(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<{ items: ConnectionTestView[] }> {
    return this.shops.connectionTests(tenant, id);
  }
}
