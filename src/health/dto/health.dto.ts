import { ApiProperty } from '@nestjs/swagger';

/** Each checked part by name, e.g. `database` and `keys`, with its state. */
const PARTS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      keys: { type: 'integer', description: 'Signing keys loaded, of every pool (the `keys` part only)' },
      pools: {
        type: 'object',
        additionalProperties: { type: 'integer' },
        description: 'Signing keys loaded by pool, 0 before its first fetch (the `keys` part only)',
      },
    },
  },
};

/** A passed health check, in @nestjs/terminus' format. */
export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ ...PARTS, example: { database: { status: 'up' }, keys: { status: 'up', keys: 1, pools: { default: 1 } } } })
  info: Record<string, { status: string }>;

  @ApiProperty({ ...PARTS, example: {} })
  error: Record<string, { status: string }>;

  @ApiProperty({ ...PARTS, example: { database: { status: 'up' }, keys: { status: 'up', keys: 1, pools: { default: 1 } } } })
  details: Record<string, { status: string }>;
}
