import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { NestContainer } from '@nestjs/core';
import { IS_PUBLIC } from '@mekong/common';
import { REQUIRED_SCOPE } from '@mekong/auth';
import type { TestApp } from './test-app';

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly isPublic: boolean;
  readonly requirement?: string;
}

export interface SocketEvent {
  readonly namespace: string;
  readonly event: string;
  readonly requirement?: string;
}

/**
 * Every HTTP route and socket event of a running app, from Nest's own metadata (the controllers
 * and gateways it actually instantiated), and every gateway namespace (events or not).
 */
export function appSurface(t: TestApp): { routes: Route[]; events: SocketEvent[]; namespaces: string[] } {
  const routes: Route[] = [];
  const events: SocketEvent[] = [];
  const namespaces = new Set<string>();
  const container = (t.app as unknown as { container: NestContainer }).container;
  for (const mod of container.getModules().values()) {
    for (const wrapper of [...mod.controllers.values(), ...mod.providers.values()]) {
      const type = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!type || typeof type !== 'function' || !type.prototype) continue;
      const controllerPath = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
      const gateway = Reflect.getMetadata('websockets:is_gateway', type) === true;
      if (controllerPath === undefined && !gateway) continue;
      const namespace = gateway
        ? String(
            (Reflect.getMetadata('websockets:gateway_options', type) as { namespace?: string })?.namespace ??
              '/',
          )
        : '';
      if (gateway) namespaces.add(namespace);
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, name)?.value; // not getters
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const requirement =
          (Reflect.getMetadata(REQUIRED_SCOPE, handler) as string | undefined) ??
          (Reflect.getMetadata(REQUIRED_SCOPE, type) as string | undefined);
        if (gateway && Reflect.getMetadata('websockets:message_mapping', handler)) {
          events.push({ namespace, event: Reflect.getMetadata('message', handler) as string, requirement });
        }
        if (controllerPath !== undefined && Reflect.getMetadata(METHOD_METADATA, handler) !== undefined) {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as string;
          const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[];
          for (const base of [controllerPath].flat()) {
            for (const p of [sub].flat()) {
              routes.push({
                method,
                path: `/${[base, p].filter((x) => x && x !== '/').join('/')}`.replace(/\/+/g, '/'),
                isPublic:
                  Reflect.getMetadata(IS_PUBLIC, handler) === true ||
                  Reflect.getMetadata(IS_PUBLIC, type) === true,
                requirement,
              });
            }
          }
        }
      }
    }
  }
  return { routes, events, namespaces: [...namespaces] };
}
