import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

/** For the TypeORM CLI (npm run migration:*); reads DATABASE_URL like the server does. */
export default new DataSource(buildDataSourceOptions(process.env.DATABASE_URL ?? '', { migrating: true }));
