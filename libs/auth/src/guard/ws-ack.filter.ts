import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { DomainError } from '@mekong/common';

/**
 * Socket events answer through their acknowledgement: an event the AuthGuard refuses (or a handler
 * that throws) is acknowledged `{ ok: false, error: { code, message } }` like every other refusal of
 * the protocol, instead of Nest's separate `exception` event that a waiting client never sees.
 */
@Catch()
export class WsAckFilter implements ExceptionFilter {
  private readonly logger = new Logger('Socket');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error =
      exception instanceof DomainError
        ? { code: exception.code, message: exception.message }
        : { code: 'INTERNAL', message: 'Something went wrong / Đã xảy ra lỗi' };
    if (!(exception instanceof DomainError)) this.logger.error(exception);
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (reply: unknown) => void)({ ok: false, error });
    else host.switchToWs().getClient<{ emit(e: string, b: unknown): void }>().emit('exception', error);
  }
}
