import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Cognito's RefreshTokenRotationType. */
export interface RefreshTokenRotation {
  Feature: 'ENABLED' | 'DISABLED';
  RetryGracePeriodSeconds?: number;
}

/**
 * App-client settings the emulator does not keep (it drops fields it does not know), kept by the
 * front in the pool's data folder: refresh-token rotation.
 */
export class ClientSettings {
  private readonly rotation: Record<string, RefreshTokenRotation>;

  constructor(private readonly file: string) {
    try {
      this.rotation = (JSON.parse(readFileSync(file, 'utf8')) as { rotation?: Record<string, RefreshTokenRotation> }).rotation ?? {};
    } catch {
      this.rotation = {};
    }
  }

  rotationOf(clientId: string): RefreshTokenRotation | undefined {
    return Object.hasOwn(this.rotation, clientId) ? this.rotation[clientId] : undefined;
  }

  /** Seconds of grace of a rotating client; undefined when the client does not rotate. */
  graceOf(clientId: string): number | undefined {
    const rotation = this.rotationOf(clientId);
    return rotation?.Feature === 'ENABLED' ? (rotation.RetryGracePeriodSeconds ?? 0) : undefined;
  }

  setRotation(clientId: string, rotation: RefreshTokenRotation): void {
    this.rotation[clientId] = rotation;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ rotation: this.rotation }));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** Why a RefreshTokenRotation of a request is not Cognito's shape; undefined when it is. */
export function rotationProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'RefreshTokenRotation must be an object';
  const { Feature, RetryGracePeriodSeconds } = value as Record<string, unknown>;
  if (Feature !== 'ENABLED' && Feature !== 'DISABLED') return "RefreshTokenRotation.Feature must be 'ENABLED' or 'DISABLED'";
  if (
    RetryGracePeriodSeconds !== undefined &&
    (!Number.isInteger(RetryGracePeriodSeconds) || (RetryGracePeriodSeconds as number) < 0 || (RetryGracePeriodSeconds as number) > 60)
  ) {
    return 'RefreshTokenRotation.RetryGracePeriodSeconds must be an integer from 0 to 60';
  }
  return undefined;
}
