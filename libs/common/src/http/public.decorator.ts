import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'mekong:isPublic';
/** Marks a route that needs no bearer token (health, discovery, the token endpoint itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
