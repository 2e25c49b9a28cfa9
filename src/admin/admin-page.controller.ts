import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { notFound } from '../common/api-error.js';
import { AppConfig } from '../config/app-config.js';
import { AdminPageFiles } from './admin-page.files.js';
import { adminPageSettings, type AdminPageSettings } from './dto/admin-page-settings.dto.js';

/**
 * The /admin page: static files and the sign-in settings, all public. Everything the page then
 * loads comes from the guarded API with the signed-in user's token.
 */
@Public()
@ApiExcludeController()
@Controller('admin')
export class AdminPageController {
  private readonly settings: AdminPageSettings;

  constructor(
    private readonly files: AdminPageFiles,
    config: AppConfig,
  ) {
    this.settings = adminPageSettings(config);
  }

  @Get()
  page(@Headers('if-none-match') etag: string | undefined, @Res() reply: FastifyReply): void {
    this.send('index.html', etag, reply);
  }

  @Get('settings.json')
  signInSettings(): AdminPageSettings {
    return this.settings;
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Headers('if-none-match') etag: string | undefined, @Res() reply: FastifyReply): void {
    if (name === 'index.html') throw notFound('No such file.');
    this.send(name, etag, reply);
  }

  private send(name: string, ifNoneMatch: string | undefined, reply: FastifyReply): void {
    const file = this.files.get(name);
    if (!file) throw notFound('No such file.');
    // Revalidated on every load (cheap, by ETag), so a deploy is seen at once without hashed names.
    void reply.header('cache-control', 'no-cache').header('etag', file.etag);
    if (ifNoneMatch === file.etag) return void reply.status(304).send();
    void reply.type(file.type).send(file.body);
  }
}
