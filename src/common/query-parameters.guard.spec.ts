import { Controller, Get, Query, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IsOptional, IsString } from 'class-validator';
import { Public } from '../auth/public.decorator.js';
import type { ApiError } from './api-error.js';
import { PageQueryDto } from './paging.js';
import { QueryParametersGuard, queryParametersOf } from './query-parameters.guard.js';

class FilterQuery extends PageQueryDto {
  @IsOptional()
  @IsString()
  name?: string;
}

@Controller('things')
class ThingsController {
  @Get()
  list(@Query() _query: FilterQuery, @Query('extra') _extra?: string): void {}

  @Get('plain')
  plain(): void {}

  @Public()
  @Get('open')
  open(): void {}
}

function contextFor(handler: (...args: never[]) => unknown, query: Record<string, unknown>): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => ThingsController,
    switchToHttp: () => ({ getRequest: () => ({ query }) }),
  } as unknown as ExecutionContext;
}

describe(QueryParametersGuard.name, () => {
  const sut = new QueryParametersGuard(new Reflector());
  const { list, plain, open } = ThingsController.prototype;

  it("takes the validated fields of the route's query class (inherited ones too) and its named query arguments", () => {
    expect([...queryParametersOf(ThingsController, list)].sort()).toEqual(['extra', 'name', 'page', 'pageSize']);
    expect([...queryParametersOf(ThingsController, plain)]).toEqual([]);
  });

  it('lets a query of known parameters through', () => {
    expect(sut.canActivate(contextFor(list, { page: '2', name: 'x', extra: 'y' }))).toBe(true);
    expect(sut.canActivate(contextFor(plain, {}))).toBe(true);
  });

  it('refuses an unknown parameter with 400 validation_failed naming it and what the route takes', () => {
    const refusal = (() => {
      try {
        sut.canActivate(contextFor(list, { page: '1', offset: '5' }));
      } catch (error) {
        return error as ApiError;
      }
    })();
    expect([refusal?.getStatus(), refusal?.code, refusal?.message]).toEqual([
      400,
      'validation_failed',
      'Unknown query parameter "offset": this route does not take it (it takes extra, name, page, pageSize).',
    ]);
    expect(() => sut.canActivate(contextFor(plain, { a: '1' }))).toThrow('(it takes none)');
  });

  it('cuts a long parameter name in the message', () => {
    expect(() => sut.canActivate(contextFor(plain, { ['x'.repeat(500)]: '1' }))).toThrow(`"${'x'.repeat(100)}…"`);
  });

  it('leaves public routes alone', () => {
    expect(sut.canActivate(contextFor(open, { code: 'abc', state: 'def' }))).toBe(true);
  });
});
