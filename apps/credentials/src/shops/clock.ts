import { Injectable } from '@nestjs/common';

/**
 * The time, injectable so tests can move it: licence keys expire after 90 days and warnings
 * fall 14, 7, 3 and 1 days before, which no test can wait for.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Tests only: moves the clock forward (or back). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
