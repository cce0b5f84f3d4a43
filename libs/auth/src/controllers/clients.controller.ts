import { Body, Controller, Header, Post } from '@nestjs/common';
import { CreateClientDto } from '../dto/create-client.dto';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import type { Principal } from '../roles';
import { ClientService, type RegisteredClient } from '../services/client.service';

/** POST /auth/clients (admin) — registers a client_credentials client; the secret is shown once. */
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
}
