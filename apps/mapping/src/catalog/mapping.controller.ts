import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateRuleCall,
  CreateSkuCall,
  ImportPieceCall,
  ImportRefCall,
  LinkLineCall,
  ListMappingOrdersCall,
  ListRulesCall,
  ListSkusCall,
  MAPPING_CALLS,
  RuleRefCall,
  SkuRefCall,
  StartImportCall,
  UpdateSkuCall,
} from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { OrderQueueService } from '../orders/order-queue.service';
import { CatalogService } from './catalog.service';
import { ImportJobs } from './import-jobs';

/** The calls the gateway makes over the TCP transport. Each payload is validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class MappingController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly queue: OrderQueueService,
    private readonly jobs: ImportJobs,
  ) {}

  @MessagePattern(MAPPING_CALLS.listSkus)
  listSkus(@Payload() payload: unknown) {
    return this.catalog.list(parseCall(ListSkusCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.getSku)
  getSku(@Payload() payload: unknown) {
    return this.catalog.get(parseCall(SkuRefCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.createSku)
  createSku(@Payload() payload: unknown) {
    return this.catalog.create(parseCall(CreateSkuCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.updateSku)
  updateSku(@Payload() payload: unknown) {
    return this.catalog.update(parseCall(UpdateSkuCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.startImport)
  startImport(@Payload() payload: unknown) {
    return this.jobs.start(parseCall(StartImportCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.importPiece)
  importPiece(@Payload() payload: unknown) {
    return this.jobs.piece(parseCall(ImportPieceCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.getImport)
  getImport(@Payload() payload: unknown) {
    return this.jobs.get(parseCall(ImportRefCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.listRules)
  listRules(@Payload() payload: unknown) {
    return this.catalog.listRules(parseCall(ListRulesCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.createRule)
  createRule(@Payload() payload: unknown) {
    return this.catalog.createRule(parseCall(CreateRuleCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.deleteRule)
  async deleteRule(@Payload() payload: unknown) {
    await this.catalog.deleteRule(parseCall(RuleRefCall, payload));
    return { deleted: true };
  }

  @MessagePattern(MAPPING_CALLS.dryRunRule)
  dryRunRule(@Payload() payload: unknown) {
    const call = parseCall(CreateRuleCall, payload);
    return this.queue.dryRun(call.actor.tenantId, call.body);
  }

  @MessagePattern(MAPPING_CALLS.listOrders)
  listOrders(@Payload() payload: unknown) {
    return this.queue.list(parseCall(ListMappingOrdersCall, payload));
  }

  @MessagePattern(MAPPING_CALLS.linkLine)
  linkLine(@Payload() payload: unknown) {
    return this.queue.linkLine(parseCall(LinkLineCall, payload));
  }
}
