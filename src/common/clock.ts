import { Injectable } from '@nestjs/common';

/** The time source. Injected so expiry and rotation can be tested without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
