import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UnlimitedOnly } from '@einlass/auth';
import { answer } from '@einlass/contracts';
import { FailedJobs, OutboxRelay } from '@einlass/outbox';

export class FailedJobsQueryDto {
  /** The newest this many failed jobs (1–500, default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/**
 * `…/api/pipeline/failed-jobs` (each service, for the queue it consumes): the messages its
 * consumer gave up on, and retrying them. Only organiser tokens for every event: a queue carries
 * the messages of all events.
 */
@Controller('api/pipeline/failed-jobs')
@UnlimitedOnly()
export class FailedJobsController {
  private readonly failed: FailedJobs;

  constructor(relay: OutboxRelay) {
    this.failed = new FailedJobs(relay.origin, relay.ownQueue());
  }

  @ApiOkResponse({ schema: answer('FailedJobs') })
  @Get()
  list(@Query() query: FailedJobsQueryDto) {
    return this.failed.list(query.limit ?? 100);
  }

  @ApiOkResponse({ schema: answer('RetriedJobs') })
  @Post('retry')
  @HttpCode(200)
  retryAll() {
    return this.failed.retryAll();
  }

  @ApiOkResponse({ schema: answer('RetriedJobs') })
  @Post(':jobId/retry')
  @HttpCode(200)
  retry(@Param('jobId') jobId: string) {
    return this.failed.retry(jobId);
  }
}
