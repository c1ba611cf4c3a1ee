import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';

import { GatewayConfig } from '../config';
import { INTERNAL_SERVICES, InternalService, clientToken } from './service-clients';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

@Module({})
export class SystemModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const clients = (Object.keys(INTERNAL_SERVICES) as InternalService[]).map((service) => {
      const [host, port] = config[INTERNAL_SERVICES[service]].split(':');
      return {
        name: clientToken(service),
        transport: Transport.TCP as const,
        options: { host, port: Number(port) },
      };
    });
    return {
      module: SystemModule,
      imports: [ClientsModule.register(clients)],
      controllers: [SystemController],
      providers: [SystemService],
    };
  }
}
