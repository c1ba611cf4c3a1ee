import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  type CatalogChangeView,
  CreateMappingRuleBody,
  type DryRunView,
  type ImportJobView,
  type ImportReportView,
  type MappingRuleView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { CatalogService } from './catalog.service';
import { ImportQueryDto, TemplateQueryDto } from './dto/catalog-queries.dto';
import {
  ImportRoute,
  type ImportResponse,
  XLSX_TYPE,
  runImport,
  templateFile,
} from './import-route';
import type { UploadedImportFile } from './upload';

const RULE_ID = uuidParam('id');

/** Name rules (상품명 매핑): an exact item name and option text linked to a SKU or option. */
@ApiTags('mappings')
@ApiBearerAuth()
@Controller('api/v1/mappings')
export class MappingsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Requires('read')
  @ApiOperation({ summary: "This tenant's name rules" })
  @ApiErrors(401, 403, 503)
  list(@CurrentTenant() tenant: TenantPrincipal): Promise<{ items: MappingRuleView[] }> {
    return this.catalog.listRules(tenant);
  }

  @Post()
  @Requires('catalog.write')
  @ApiOperation({
    summary: 'Add a name rule',
    description:
      'Item name and option text must equal the order line exactly — spaces, letter case, full-width characters included. Rules apply only to lines that no seller code matches. Held orders that now map are released at once.',
  })
  @ApiCreatedResponse({ description: '{ item: MappingRuleView, reevaluation }' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 503)
  create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateMappingRuleBody,
  ): Promise<CatalogChangeView<MappingRuleView>> {
    return this.catalog.createRule(tenant, body);
  }

  @ImportRoute()
  @ApiOperation({
    summary: 'Import name rules from an .xlsx or .csv file (multipart/form-data, field "file")',
    description:
      'One rule a row: item_name, option_text (empty for a product without options; a line break in the cell separates variation lines), sku_code — or their Korean, Japanese or English titles (GET /mappings/import/template). All or nothing, like the SKU import: a bad row or a sku_code not in the catalog and nothing is stored (422 IMPORT_REJECTED with the first 1,000 problems and their count); a rule already stored counts as unchanged. Same formats, encodings, limits (20 MB, 100,000 rows) and background job as POST /skus/import; held orders that now map are released.',
  })
  @ApiOkResponse({ description: 'ImportReportView: rows, created, unchanged, released.' })
  import(
    @CurrentTenant() tenant: TenantPrincipal,
    @UploadedFile() file: UploadedImportFile | undefined,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) res: ImportResponse,
  ): Promise<ImportReportView | ImportJobView> {
    return runImport(this.catalog, tenant, 'rules', file, query.wait ?? true, res);
  }

  @Get('import/template')
  @Requires('read')
  @ApiOperation({ summary: 'The name-rule import template with its columns and examples' })
  @ApiProduces(XLSX_TYPE, 'text/csv')
  @ApiErrors(400, 401, 403)
  template(
    @Query() query: TemplateQueryDto,
    @Res({ passthrough: true }) res: Pick<ImportResponse, 'setHeader'>,
  ): Promise<StreamableFile> {
    return templateFile('rules', query, res);
  }

  @Post('dry-run')
  @Requires('catalog.write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Try a name rule without saving it',
    description:
      'Which lines of held and recent orders it would map and to what, and which held orders it would release.',
  })
  @ApiOkResponse({ description: 'DryRunView' })
  @ApiErrors(400, 401, 403, 413, 415, 503)
  dryRun(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateMappingRuleBody,
  ): Promise<DryRunView> {
    return this.catalog.dryRun(tenant, body);
  }

  @Delete(':id')
  @Requires('catalog.write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a name rule' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 401, 403, 404, 503)
  remove(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', RULE_ID) id: string,
  ): Promise<void> {
    return this.catalog.deleteRule(tenant, id);
  }
}
