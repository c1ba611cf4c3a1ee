import {
  Body,
  Controller,
  Get,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  type CatalogChangeView,
  CreateSkuBody,
  type ImportJobView,
  type ImportReportView,
  type SkuView,
  UpdateSkuBody,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { CatalogService } from './catalog.service';
import { ImportQueryDto, ListSkusQueryDto, TemplateQueryDto } from './dto/catalog-queries.dto';
import {
  ImportRoute,
  type ImportResponse,
  XLSX_TYPE,
  runImport,
  templateFile,
} from './import-route';
import type { UploadedImportFile } from './upload';

const SKU_ID = uuidParam('id');

@ApiTags('skus')
@ApiBearerAuth()
@Controller('api/v1/skus')
export class SkusController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Requires('read')
  @ApiOperation({ summary: "This tenant's SKUs, by code" })
  @ApiOkResponse({ description: '{ items: SkuView[], total }' })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListSkusQueryDto,
  ): Promise<{ items: SkuView[]; total: number }> {
    return this.catalog.listSkus(tenant, query);
  }

  @Post()
  @Requires('catalog.write')
  @ApiOperation({
    summary: 'Create a SKU: a single product, a bundle (components) or a product with options',
    description:
      'The 판매자 정의 코드 goes in sellerCode (single product: Rakuten 商品番号) or in each option (システム連携用SKU番号, or before the SKU migration 商品番号+横軸+縦軸 codes). Held orders that now map are released at once; the answer says how many.',
  })
  @ApiCreatedResponse({ description: '{ item: SkuView, reevaluation }' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 503)
  create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateSkuBody,
  ): Promise<CatalogChangeView<SkuView>> {
    return this.catalog.createSku(tenant, body);
  }

  @ImportRoute()
  @ApiOperation({
    summary: 'Import SKUs from an .xlsx or .csv file (multipart/form-data, field "file")',
    description:
      'All or nothing per file: any bad row and nothing is stored; the 422 IMPORT_REJECTED answer lists the first 1,000 problems (row, column, reason) in details.problems and their total in details.problemCount. Importing the same file again changes nothing. At most 20 MB and 100,000 data rows (422 IMPORT_TOO_MANY_ROWS). CSV in UTF-8 (with or without BOM), Shift_JIS (CP932), CP949 or UTF-16 with BOM, comma- or tab-separated, detected; headers as column names or their Korean, Japanese or English titles. An .xlsx that unpacks past its bounds (a zip bomb) is a 400 IMPORT_UNREADABLE. The file is imported by a background job of the mapping service, which gets it in pieces of at most 48 KiB; this answer waits for the job (IMPORT_WAIT_MS, 30 s) unless ?wait=false, and answers 202 with the job (Location: /api/v1/imports/:id) when it is not done by then. Columns: see GET /skus/import/template.',
  })
  @ApiOkResponse({ description: 'ImportReportView: rows, created, updated, unchanged, released.' })
  async import(
    @CurrentTenant() tenant: TenantPrincipal,
    @UploadedFile() file: UploadedImportFile | undefined,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) res: ImportResponse,
  ): Promise<ImportReportView | ImportJobView> {
    return runImport(this.catalog, tenant, 'skus', file, query.wait ?? true, res);
  }

  @Get('import/template')
  @Requires('read')
  @ApiOperation({ summary: 'The import template with the documented columns and examples' })
  @ApiProduces(XLSX_TYPE, 'text/csv')
  @ApiErrors(400, 401, 403)
  template(
    @Query() query: TemplateQueryDto,
    @Res({ passthrough: true }) res: Pick<ImportResponse, 'setHeader'>,
  ): Promise<StreamableFile> {
    return templateFile('skus', query, res);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'One SKU with its options' })
  @ApiErrors(400, 401, 403, 404, 503)
  get(@CurrentTenant() tenant: TenantPrincipal, @Param('id', SKU_ID) id: string): Promise<SkuView> {
    return this.catalog.getSku(tenant, id);
  }

  @Patch(':id')
  @Requires('catalog.write')
  @ApiOperation({
    summary: 'Change a SKU (name, barcode, seller code, bundle, options)',
    description:
      'options, when given, replace the list. A change that would leave a name rule or a bundle pointing at a removed code is refused (409 CODE_IN_USE / 422). Held orders that now map are released at once.',
  })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 503)
  update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SKU_ID) id: string,
    @Body() body: UpdateSkuBody,
  ): Promise<CatalogChangeView<SkuView>> {
    return this.catalog.updateSku(tenant, id, body);
  }
}
