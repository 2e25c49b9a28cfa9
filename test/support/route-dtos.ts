import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PARAMTYPES_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';

/** `GET /api/v1/users/:id`, as Fastify registers the route (no trailing slash). */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\/+$/, '') || '/'}`;
}

/**
 * Every name a class answers to: its fields (declared with validation rules, or given a default),
 * its getters and methods along the prototype chain, and its static members.
 */
export function namesOf(type: Type): string[] {
  const names = new Set<string>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)) names.add(rule.propertyName);
  try {
    for (const name of Object.keys(new type() as object)) names.add(name);
  } catch {
    // A class that needs constructor arguments has no defaults to find.
  }
  for (
    let prototype = type.prototype as object | null;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    for (const name of Object.getOwnPropertyNames(prototype)) names.add(name);
  }
  for (const name of Object.getOwnPropertyNames(type)) names.add(name);
  return [...names];
}

function joinPath(...parts: Array<string | undefined>): string {
  return `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Getters, setters and methods of a class's instances (not `constructor`): what a client's value must never reach. */
export function membersOf(type: Type): string[] {
  const members: string[] = [];
  for (
    let prototype = type.prototype as object | null;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    members.push(...Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor'));
  }
  return members;
}

/**
 * For every route a controller declares, the classes of its `@Query()` and `@Body()` arguments,
 * keyed by routeKey: what a client's query and body are turned into.
 */
export function routeDtos(app: INestApplication): Map<string, Type[]> {
  const routes = new Map<string, Type[]>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat();
        const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype as object, name) ?? []) as Array<Type | undefined>;
        const argumentsOf = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const dtos: Type[] = [];
        for (const [key, argument] of Object.entries(argumentsOf)) {
          const kind = Number(key.split(':')[0]);
          if (![RouteParamtypes.QUERY, RouteParamtypes.BODY].includes(kind) || argument.data !== undefined) continue;
          const type = types[argument.index];
          if (type && type !== Object) dtos.push(type);
        }
        for (const path of paths) routes.set(routeKey(RequestMethod[method], joinPath(base, path)), dtos);
      }
    }
  }
  return routes;
}

/** By route, every name of its query and body classes (namesOf): the query parameter names the fuzz test tries. */
export function routeDtoNames(app: INestApplication): Map<string, string[]> {
  return new Map([...routeDtos(app)].map(([route, dtos]) => [route, [...new Set(dtos.flatMap(namesOf))]]));
}
