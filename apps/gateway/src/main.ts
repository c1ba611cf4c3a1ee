import 'reflect-metadata';

import { ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadConfigOrExit, runService } from '@smartship/service-kit';
import helmet from 'helmet';

import { AppModule } from './app.module';
import { GatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('gateway', GatewayConfig);
  await runService(AppModule.forRoot(config), config, {
    configure: (app) => {
      app.use(helmet());
      app.useGlobalPipes(
        new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
      );
      const document = SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Smartship integration API')
          .setDescription('Register marketplace shops, map SKUs, follow orders and shipments.')
          .setVersion('1')
          .addBearerAuth()
          .build(),
      );
      SwaggerModule.setup('api/docs', app, document);
    },
  });
}

void main();
