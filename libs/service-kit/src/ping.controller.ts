import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

import { SERVICE_NAME } from './tokens';

export interface PingReply {
  service: string;
  pid: number;
  uptimeSeconds: number;
  time: string;
}

/** Answers the gateway's `{ cmd: 'ping' }` over the TCP transport. */
@Controller()
export class PingController {
  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  @MessagePattern({ cmd: 'ping' })
  ping(): PingReply {
    return {
      service: this.service,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      time: new Date().toISOString(),
    };
  }
}
