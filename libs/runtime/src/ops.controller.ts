import { Controller, Get, Header, HttpException, HttpStatus, Inject, Optional } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';

/** Readiness probe a service contributes (DB reachable, worker loaded...). */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export type HealthCheck = { name: string; check: () => Promise<void> };

/** /health and /metrics, mounted in every app. */
@Controller()
export class OpsController {
  constructor(@Optional() @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[] = []) {}

  @Get('health')
  async health(): Promise<Record<string, string>> {
    const results: Record<string, string> = {};
    let ok = true;
    for (const { name, check } of this.checks ?? []) {
      try {
        await check();
        results[name] = 'ok';
      } catch (e) {
        ok = false;
        results[name] = e instanceof Error ? e.message : String(e);
      }
    }
    if (!ok) throw new HttpException({ status: 'unavailable', checks: results }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', ...results };
  }

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
