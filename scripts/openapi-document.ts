// Writes the server's OpenAPI document to the file named by its argument, with no database, pool or
// network: the application is created in preview mode (its module graph, no instances). Run from the
// compiled code (decorator metadata), as scripts/lint-openapi.mjs does.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/load-config.js';
import { createApiDocument } from '../src/docs/api-docs.setup.js';

const [output] = process.argv.slice(2);
if (!output) throw new Error('Usage: node openapi-document.js <output.json>');
const config = loadConfig({
  COGNITO_REGION: 'us-east-1',
  COGNITO_USER_POOL_ID: 'us-east-1_Example',
  COGNITO_CLIENT_IDS: 'example-client',
  DATABASE_URL: 'postgres://127.0.0.1:1/never-connected',
  LOG_LEVEL: 'silent',
});
const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
  preview: true,
  logger: false,
});
writeFileSync(output, `${JSON.stringify(createApiDocument(app, config), null, 2)}\n`);
await app.close();
