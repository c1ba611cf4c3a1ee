import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@smartship/service-kit';

import { SimAdminController } from './admin/sim-admin.controller';
import { SimulatorConfig } from './config';
import { RmsSimulator } from './sim/rms-simulator';

/**
 * A stand-in for the Rakuten RMS Web API. It keeps its state in memory and needs neither the
 * database nor Kafka. The RMS paths are served by a lean handler mounted in front of Nest
 * (simulator-app.ts); the admin API under /__sim is an ordinary controller.
 */
@Module({})
export class AppModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'rakuten-sim', config })],
      controllers: [SimAdminController],
      providers: [RmsSimulator],
    };
  }
}
