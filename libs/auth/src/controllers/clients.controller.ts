import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { CreateClientDto } from '../dto/create-client.dto';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { ClientService, type ClientView, type RegisteredClient } from '../services/client.service';

/**
 * System clients (admin): POST /auth/clients registers a client_credentials client (the secret is
 * shown once), GET lists them, POST /auth/clients/{clientId}/revoke revokes one for good.
 */
@Controller('auth/clients')
export class ClientsController {
  constructor(private readonly clients: ClientService) {}

  @Post()
  @RequireScope('Device.c')
  @Roles('admin')
  @Header('Cache-Control', 'no-store')
  create(@Body() dto: CreateClientDto, @CurrentPrincipal() actor: Principal): Promise<RegisteredClient> {
    return this.clients.register(dto.name, dto.scope, actor.subject);
  }

  @Get()
  @RequireScope('Device.rs')
  @Roles('admin')
  list(): Promise<ClientView[]> {
    return this.clients.list();
  }

  @Post(':clientId/revoke')
  @HttpCode(200)
  @RequireScope('Device.u')
  @Roles('admin')
  revoke(@Param('clientId') clientId: string, @CurrentPrincipal() actor: Principal): Promise<ClientView> {
    return this.clients.revoke(clientId, actor.subject);
  }
}
