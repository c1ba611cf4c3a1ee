import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';

import { GatewayConfig } from '../config';
import { consoleDir, consoleMiddleware } from '../console/console-static';
import { documentContractSchemas } from '../docs/contract-schemas';
import { bodyParserErrors, requireJsonBody } from './body-parsing';

/**
 * The HTTP server's Express-level setup, shared by main.ts and the integration test: security
 * headers, JSON-only bodies with a size limit, and the OpenAPI document. The validation pipe,
 * the error filter and the auth guard are providers of AppModule.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig): void {
  app.use(helmet());
  app.use(requireJsonBody);
  // Registered before Nest's default parser, which then is not added (it checks by name).
  (app as NestExpressApplication).useBodyParser('json', { limit: config.JSON_BODY_LIMIT_BYTES });
  app.use(bodyParserErrors(config.JSON_BODY_LIMIT_BYTES));
  // The web console at `/` (before Nest's routes; it leaves /api, /health and /metrics alone).
  app.use(consoleMiddleware(consoleDir(config.CONSOLE_DIR)));

  documentContractSchemas();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Smartship integration API')
      .setDescription(
        'Register marketplace shops, map SKUs, follow orders and shipments. Every /api/v1 route ' +
          'but the public ones (system/ping, signing in) needs `Authorization: Bearer <token>` ' +
          'and a permission that the role of the caller (for a token: its scope: read → viewer, ' +
          'write → staff, admin → admin) holds, else 403 ROLE_FORBIDDEN; errors are ' +
          '`{ statusCode, code, message, details }`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
}
