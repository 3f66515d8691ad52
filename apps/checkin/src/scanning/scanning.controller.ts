import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import { RecordScan, ScanAnswer } from './record-scan.command';
import { ScanDto } from './scan.dto';

@Controller('api/events/:slug')
export class ScanningController {
  constructor(private readonly commandBus: CommandBus) {}

  /** A badge scanned at a door: 200 with the answer, whatever the badge (API.md, Check-in). */
  @Post('scan')
  @HttpCode(200)
  @Roles('organiser', 'door')
  scan(
    @Param('slug') slug: string,
    @Body() body: ScanDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanAnswer> {
    return this.commandBus.execute(new RecordScan(slug, body, principal));
  }
}
