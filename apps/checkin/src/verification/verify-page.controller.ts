import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@einlass/auth';
import { CertificateVerification } from './certificate-verification';
import { type PageLanguage, verifyPage, type VerifyPageState } from './verify-page';

/**
 * `/verify?c=<code>`: where an attendance certificate's QR code leads. Public (whoever holds the
 * paper may check it), rendered here on the check-in host from the badges service's answer.
 * 200 with "genuine" or "not genuine"; 400 without a code; 503 when badges cannot answer.
 */
@Public()
@Controller()
export class VerifyPageController {
  constructor(private readonly verification: CertificateVerification) {}

  @Get('verify')
  async page(
    @Query('c') code: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const language: PageLanguage =
      lang === 'en' || lang === 'de'
        ? lang
        : /^\s*de\b/i.test(acceptLanguage ?? '')
          ? 'de'
          : acceptLanguage
            ? 'en'
            : 'de';
    const text = typeof code === 'string' ? code.trim().slice(0, 2000) : '';
    let state: VerifyPageState;
    if (!text) {
      state = { kind: 'no_code' };
      reply.status(400);
    } else {
      const check = await this.verification.check(text);
      state = check ? { kind: 'answer', check } : { kind: 'unavailable' };
      if (!check) reply.status(503);
    }
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
      )
      .header('referrer-policy', 'no-referrer');
    return verifyPage(state, language, text);
  }
}
