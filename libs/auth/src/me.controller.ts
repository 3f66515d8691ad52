import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { CurrentPrincipal, Roles } from './auth.decorators';
import type { Principal } from './principal';

/**
 * `GET /api/me`: who a token belongs to. Pages use it on sign-in to refuse a token that is
 * unknown, revoked or of the wrong role before they show anything. Badges and check-in ask
 * registration's to confirm a token (TokenResolver).
 */
@Controller('api/me')
export class MeController {
  @ApiOkResponse({ schema: answer('Me') })
  @Get()
  @Roles('organiser', 'door')
  me(@CurrentPrincipal() principal: Principal) {
    return {
      id: principal.tokenId,
      role: principal.role,
      label: principal.label,
      gates: principal.gates,
      events: principal.events,
      expiresAt: principal.expiresAt?.toISOString() ?? null,
    };
  }
}
