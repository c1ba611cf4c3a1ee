import { Module } from '@nestjs/common';

import { RateLimiter } from './rate-limiter';

/** Per-tenant request limits in PostgreSQL (README "Limits"). */
@Module({ providers: [RateLimiter], exports: [RateLimiter] })
export class LimitsModule {}
