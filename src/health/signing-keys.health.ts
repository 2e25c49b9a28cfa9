import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { JwksKeyProvider } from '../auth/jwks-key.provider.js';

/** Up once the pool's JWKS has been fetched; stays up on later fetch failures, as cached keys keep verifying. */
@Injectable()
export class SigningKeysHealthIndicator {
  constructor(
    private readonly keys: JwksKeyProvider,
    private readonly health: HealthIndicatorService,
  ) {}

  isLoaded<const Key extends string>(key: Key) {
    const indicator = this.health.check(key);
    return this.keys.ready
      ? indicator.up({ keys: this.keys.keyIds.length })
      : indicator.down({ message: "The user pool's signing keys (JWKS) have not been loaded yet" });
  }
}
