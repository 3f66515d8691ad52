import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, type RequestToAuthorize } from '@einlass/auth';
import { addFastRoute, type FastRoute, fastCheckOf, sendErrorAnswer } from '@einlass/bootstrap';
import { scanObserved } from '@einlass/metrics';
import { RecordScan } from './record-scan.command';
import { ScanBudget } from './scan-rate.guard';
import { ScanDto } from './scan.dto';

/** Who may scan: as `@Roles('organiser', 'door')` on ScanningController.scan. */
const SCAN_ACCESS = { roles: ['organiser', 'door'] as const, unlimitedOnly: false };

/**
 * `POST /api/events/:slug/scan`, the door's request, answered ahead of Nest's router (FastRoute):
 * the same steps as ScanningController.scan behind its guards, through the same code (AuthGuard's
 * checks, the scan budget, the RecordScan command, the error answers), without Nest's router,
 * guards, pipes and parameter decorators around them. A body the scan's hand check does not take
 * is left to the Nest route, whose validation answers it.
 */
@Injectable()
export class ScanFastLane implements FastRoute, OnModuleInit {
  readonly method = 'POST';
  readonly url = '/api/events/:slug/scan';
  private readonly validScan = fastCheckOf(ScanDto)!;

  constructor(
    private readonly auth: AuthGuard,
    private readonly budget: ScanBudget,
    private readonly commandBus: CommandBus,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // Absent when the module runs without HTTP (a worker, a script's application context).
    const http = this.adapterHost.httpAdapter as { getInstance(): unknown } | undefined;
    if (http) addFastRoute(http.getInstance() as Parameters<typeof addFastRoute>[0], this);
  }

  async answer(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const scan = this.validScan(request.body);
    if (!scan) return false;
    const { slug } = request.params as { slug: string };
    try {
      const principal = await this.auth.authorize(request as RequestToAuthorize, {
        roles: [...SCAN_ACCESS.roles],
        unlimitedOnly: SCAN_ACCESS.unlimitedOnly,
      });
      this.budget.take(principal, 1);
      const started = performance.now();
      const answer = await this.commandBus.execute(new RecordScan(slug, scan, principal));
      void reply.code(200).send(scanObserved(scan, started)(answer));
    } catch (error) {
      sendErrorAnswer(error, reply);
    }
    return true;
  }
}
