import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import type { PingReply } from '@smartship/service-kit';
import { firstValueFrom, timeout } from 'rxjs';

import {
  INTERNAL_SERVICES,
  InternalService,
  clientToken,
} from '../service-clients/service-clients';

export interface ServicePing {
  service: InternalService;
  reachable: boolean;
  /** Round trip over the TCP transport, in milliseconds. */
  latencyMs?: number;
  reply?: PingReply;
  error?: string;
}

@Injectable()
export class SystemService {
  private readonly clients: Record<InternalService, ClientProxy>;

  constructor(
    @Inject(clientToken('credentials')) credentials: ClientProxy,
    @Inject(clientToken('ingestion')) ingestion: ClientProxy,
    @Inject(clientToken('mapping')) mapping: ClientProxy,
    @Inject(clientToken('fulfillment')) fulfillment: ClientProxy,
    @Inject(clientToken('notifications')) notifications: ClientProxy,
  ) {
    this.clients = { credentials, ingestion, mapping, fulfillment, notifications };
  }

  /** Pings every internal service over its TCP transport, in parallel. */
  pingAll(timeoutMs = 2_000): Promise<ServicePing[]> {
    return Promise.all(
      (Object.keys(INTERNAL_SERVICES) as InternalService[]).map((service) =>
        this.ping(service, timeoutMs),
      ),
    );
  }

  private async ping(service: InternalService, timeoutMs: number): Promise<ServicePing> {
    const started = performance.now();
    try {
      const reply = await firstValueFrom(
        this.clients[service].send<PingReply>({ cmd: 'ping' }, {}).pipe(timeout(timeoutMs)),
      );
      return {
        service,
        reachable: true,
        latencyMs: Math.round(performance.now() - started),
        reply,
      };
    } catch (error) {
      return {
        service,
        reachable: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
