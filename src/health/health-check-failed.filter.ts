import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

/**
 * Renders a failed check in the API's error format: code `not_ready` (or `shutting_down` while the
 * server drains), a message naming the failing parts, and every part's state under `checks`.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const result = exception.getResponse() as HealthCheckResult;
    const failing = Object.entries(result.error ?? {}).map(([part, state]) =>
      state?.message ? `${part} (${String(state.message)})` : part,
    );
    const shuttingDown = result.status === 'shutting_down';
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(503)
      .header('cache-control', 'no-store')
      .send({
        statusCode: 503,
        error: 'Service Unavailable',
        code: shuttingDown ? 'shutting_down' : 'not_ready',
        message: shuttingDown ? 'The server is shutting down.' : `Not ready; down: ${failing.join(', ')}.`,
        checks: result.details,
      });
  }
}
