import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';

import { SigningSerializer, internalCallKey } from '@smartship/service-kit';

import { GatewayConfig } from '../config';
import { INTERNAL_SERVICES, InternalService, clientToken } from './service-clients';

/** One TCP ClientProxy per internal service, shared by every feature module that calls one. */
@Module({})
export class ServiceClientsModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const key = internalCallKey(config);
    const clients = (Object.keys(INTERNAL_SERVICES) as InternalService[]).map((service) => {
      const [host, port] = config[INTERNAL_SERVICES[service]].split(':');
      return {
        name: clientToken(service),
        transport: Transport.TCP as const,
        // Every call carries a MAC under INTERNAL_CALL_KEY; the services refuse calls without.
        options: { host, port: Number(port), serializer: new SigningSerializer(key) },
      };
    });
    const registered = ClientsModule.register(clients);
    return {
      module: ServiceClientsModule,
      global: true,
      imports: [registered],
      exports: [registered],
    };
  }
}
