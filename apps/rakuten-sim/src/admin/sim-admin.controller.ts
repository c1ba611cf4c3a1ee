import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  Delete,
  ExceptionFilter,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
} from '@nestjs/common';

import type { CatalogItemSpec } from '../sim/catalog';
import type { GenerateCatalogSpec } from '../sim/item-api';
import type { GenerateOrdersSpec } from '../sim/order-generator';
import { RmsSimulator } from '../sim/rms-simulator';
import type { FaultPlan, SimSettings } from '../sim/sim-settings';
import {
  SimAdminError,
  type AddKeySpec,
  type AddOrderSpec,
  type CreateShopSpec,
  type OrderStateSpec,
} from '../sim/sim-store';

/** The part of Express's response the filter uses (no @types/express in the repo). */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/** A bad admin request is the test's mistake: 400 with the reason. */
@Catch(SimAdminError)
export class SimAdminErrorFilter implements ExceptionFilter {
  catch(error: SimAdminError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<JsonResponse>()
      .status(400)
      .json({ statusCode: 400, code: 'SIM_ADMIN', message: error.message });
  }
}

/**
 * The simulator's admin API: set up shops, keys, catalogs and orders, move orders, inject
 * faults, and read back what the simulator received and holds. Tests drive RMS scenarios with it.
 * Not part of RMS; bodies are the spec types in src/sim (validated there).
 */
@Controller('__sim')
@UseFilters(SimAdminErrorFilter)
export class SimAdminController {
  constructor(private readonly simulator: RmsSimulator) {}

  private get store() {
    return this.simulator.store;
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.simulator.reset();
  }

  @Get('settings')
  settings(): SimSettings {
    return this.store.settings;
  }

  @Put('settings')
  updateSettings(@Body() patch: Partial<SimSettings>): SimSettings {
    return this.store.updateSettings(patch ?? {});
  }

  @Get('clock')
  clock(): object {
    return { now: new Date(this.store.now()).toISOString(), offsetMs: this.store.clock.offset };
  }

  /** Moves simulated time forward: key expiry, 200 → 300, async results. */
  @Post('clock/advance')
  advance(@Body() body: { ms: number }): object {
    try {
      this.store.clock.advance(Number(body?.ms));
    } catch (error) {
      throw new SimAdminError((error as Error).message);
    }
    this.store.tick();
    return this.clock();
  }

  @Post('shops')
  createShop(@Body() spec: CreateShopSpec): object {
    return this.store.createShop(spec);
  }

  @Get('shops/:shopId')
  shop(@Param('shopId') shopId: string): object {
    return this.store.describeShop(shopId);
  }

  @Patch('shops/:shopId')
  updateShop(
    @Param('shopId') shopId: string,
    @Body() patch: Pick<CreateShopSpec, 'enabledFunctions' | 'rateLimits'>,
  ): object {
    return this.store.updateShop(shopId, patch ?? {});
  }

  /** Issues a new key (a renewal); by default the old keys stop working. */
  @Post('shops/:shopId/keys')
  addKey(@Param('shopId') shopId: string, @Body() spec: AddKeySpec): object {
    return this.store.addKey(shopId, spec);
  }

  @Put('shops/:shopId/catalog')
  putCatalog(@Param('shopId') shopId: string, @Body() body: { items: CatalogItemSpec[] }): object {
    return this.store.putCatalog(shopId, body?.items);
  }

  /** Replaces the catalog with N generated items (50,000 in well under a second). */
  @Post('shops/:shopId/catalog/generate')
  generateCatalog(@Param('shopId') shopId: string, @Body() spec: GenerateCatalogSpec): object {
    return this.store.generateCatalog(shopId, spec);
  }

  @Get('shops/:shopId/catalog')
  catalog(@Param('shopId') shopId: string): object[] {
    return this.store.catalog(shopId);
  }

  @Post('shops/:shopId/orders/generate')
  generate(@Param('shopId') shopId: string, @Body() spec: GenerateOrdersSpec): object {
    return this.store.generate(shopId, spec);
  }

  @Post('shops/:shopId/orders')
  addOrder(@Param('shopId') shopId: string, @Body() spec: AddOrderSpec): object {
    return this.store.addOrder(shopId, spec);
  }

  /** Every order of a shop, compact (`?progress=300` filters): for checkers and benchmarks. */
  @Get('shops/:shopId/orders')
  orders(@Param('shopId') shopId: string, @Query('progress') progress?: string): object[] {
    if (progress !== undefined && !/^[1-9]00$/.test(progress)) {
      throw new SimAdminError('progress must be one of 100..900');
    }
    return this.store.orderSummaries(shopId, progress === undefined ? undefined : Number(progress));
  }

  @Get('orders/:orderNumber')
  order(@Param('orderNumber') orderNumber: string): object {
    this.store.tick();
    return this.store.describeOrder(orderNumber);
  }

  /** Moves an order by hand (buyer cancel, change, sub-status, unfixed postage, deleted package). */
  @Post('orders/:orderNumber/state')
  changeOrder(@Param('orderNumber') orderNumber: string, @Body() spec: OrderStateSpec): object {
    return this.store.changeOrder(orderNumber, spec ?? {});
  }

  @Get('shops/:shopId/shipping-reports')
  shippingReports(@Param('shopId') shopId: string): object[] {
    this.store.tick();
    return this.store.shop(shopId).shippingReports;
  }

  @Get('shops/:shopId/stock')
  stock(@Param('shopId') shopId: string): object[] {
    return this.store.stock(shopId);
  }

  @Put('shops/:shopId/stock')
  putStock(
    @Param('shopId') shopId: string,
    @Body() body: { rows: { manageNumber: string; variantId: string; quantity: number }[] },
  ): object {
    if (!Array.isArray(body?.rows)) throw new SimAdminError('rows must be an array');
    return this.store.putStock(shopId, body.rows);
  }

  @Get('faults')
  faults(): FaultPlan {
    return this.simulator.getFaults();
  }

  @Put('faults')
  setFaults(@Body() plan: FaultPlan): FaultPlan {
    return this.simulator.setFaults(plan);
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.simulator.setFaults({ rules: [], maintenance: null });
  }

  /** Every RMS call received (oldest first), optionally filtered. */
  @Get('calls')
  calls(
    @Query('shopId') shopId?: string,
    @Query('function') fn?: string,
    @Query('sinceSeq') sinceSeq?: string,
  ): object[] {
    return this.simulator.getCalls({
      shopId,
      function: fn,
      sinceSeq: sinceSeq === undefined ? undefined : Number(sinceSeq),
    });
  }

  @Delete('calls')
  @HttpCode(204)
  clearCalls(): void {
    this.simulator.clearCalls();
  }
}
