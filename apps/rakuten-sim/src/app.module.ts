import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@smartship/service-kit';

import { SimulatorConfig } from './config';

/**
 * A stand-in for the Rakuten RMS Web API. It keeps its state in memory and needs neither the
 * database nor Kafka. The RMS endpoints arrive with the Rakuten issue.
 */
@Module({})
export class AppModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'rakuten-sim', config })],
    };
  }
}
