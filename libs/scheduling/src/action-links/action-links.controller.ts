import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { Public } from '@mekong/common';
import { ActionLinkTokenDto, UseActionLinkDto } from './action-link.dto';
import { AppointmentActionLinks } from './appointment-action-links';

/**
 * Appointment action links (docs/scheduling.md "Action links"). Public: the token in the body is
 * the credential. Both are POST so the token stays out of URLs and logs; only `use` changes anything.
 */
@Controller('scheduling/action-links')
export class ActionLinksController {
  constructor(private readonly links: AppointmentActionLinks) {}

  /** What the link is for; never spends it (message apps and the page itself may look many times). */
  @Public()
  @Post('preview')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  preview(@Body() dto: ActionLinkTokenDto) {
    return this.links.preview(dto.token);
  }

  /** Confirms or cancels the appointment, once. */
  @Public()
  @Post('use')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  use(@Body() dto: UseActionLinkDto) {
    return this.links.use(dto.token, dto.action);
  }
}
