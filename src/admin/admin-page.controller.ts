import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type {} from '@fastify/static'; // reply.sendFile()
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { adminPageSettings, type AdminPageSettings } from './dto/admin-page-settings.dto.js';

/**
 * The /admin page and its sign-in settings, all public (its assets: see admin-page.assets.ts).
 * Everything the page then loads comes from the guarded API with the signed-in user's token.
 */
@Public()
@ApiExcludeController()
@Controller('admin')
export class AdminPageController {
  private readonly settings: AdminPageSettings;

  constructor(config: AppConfig) {
    this.settings = adminPageSettings(config);
  }

  @Get()
  page(@Res() reply: FastifyReply): FastifyReply {
    return reply.sendFile('index.html');
  }

  @Get('settings.json')
  signInSettings(): AdminPageSettings {
    return this.settings;
  }
}
