import { CanActivate, ExecutionContext, HttpStatus, Injectable, type Type } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../auth/public.decorator.js';
import { ApiError } from './api-error.js';

type Handler = (...args: never[]) => unknown;

interface RouteArgument {
  index: number;
  data?: unknown;
}

/** Longer names are cut in the message: it repeats what the client sent. */
const NAME_SHOWN = 100;

/** Stands for a public route, whose query is not checked. */
const PUBLIC: ReadonlySet<string> = new Set();

/**
 * The query parameters a handler takes: the validated properties of its `@Query()` class (what the
 * validation pipe's whitelist keeps) and the names of its `@Query('name')` arguments.
 */
export function queryParametersOf(controller: Type, handler: Handler): ReadonlySet<string> {
  const prototype = controller.prototype as object;
  const routeArguments = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, RouteArgument>;
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, prototype, handler.name) ?? []) as Array<Type | undefined>;
  const names = new Set<string>();
  for (const [key, argument] of Object.entries(routeArguments)) {
    if (Number(key.split(':')[0]) !== (RouteParamtypes.QUERY as number)) continue;
    if (typeof argument.data === 'string') {
      names.add(argument.data);
    } else {
      const type = types[argument.index];
      if (!type) continue;
      for (const rule of getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)) {
        names.add(rule.propertyName);
      }
    }
  }
  return names;
}

function unknownQueryParameter(name: string, accepted: ReadonlySet<string>): ApiError {
  const shown = name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name;
  const takes = accepted.size > 0 ? `it takes ${[...accepted].sort().join(', ')}` : 'it takes none';
  return new ApiError(
    HttpStatus.BAD_REQUEST,
    'validation_failed',
    `Unknown query parameter ${JSON.stringify(shown)}: this route does not take it (${takes}).`,
  );
}

/**
 * Query parameters a route of the API does not take are refused (400, the parameter named), as
 * unknown body fields are: a mistyped filter must not silently list everything. Runs after the
 * token guard; public routes (health, the /admin page and its OAuth callback) are left alone.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  private readonly accepted = new WeakMap<Handler, ReadonlySet<string>>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
    if (!query) return true;
    let accepted: ReadonlySet<string> | undefined;
    for (const name in query) {
      accepted ??= this.acceptedBy(context);
      if (accepted === PUBLIC) return true;
      if (!accepted.has(name)) throw unknownQueryParameter(name, accepted);
    }
    return true;
  }

  private acceptedBy(context: ExecutionContext): ReadonlySet<string> {
    const handler = context.getHandler() as Handler;
    let accepted = this.accepted.get(handler);
    if (!accepted) {
      const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, context.getClass()]) === true;
      accepted = isPublic ? PUBLIC : queryParametersOf(context.getClass(), handler);
      this.accepted.set(handler, accepted);
    }
    return accepted;
  }
}
