import nodemailer, { type Transporter } from 'nodemailer';
import { isLang, translator } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MailRecipient, NewNotification } from './store.js';

/** SMTP settings of notification e-mail (gatewayEnvToCfg: ENLACE_SMTP_*); no settings, no e-mail. */
export interface MailConfig {
  host: string;
  port: number;
  /** "tls" (implicit TLS, usually port 465), "starttls" (required upgrade, usually 587) or "none" (a loopback relay only). */
  tls: 'tls' | 'starttls' | 'none';
  from: string;
  /** The gateway's address as people reach it (https://enlace.example.gov): the link in each e-mail. */
  publicUrl: string;
  user?: string;
}

/** What one e-mail says: the kind of event, the request's public reference (its id) and a link; never case content. */
export function mailOf(n: Pick<NewNotification, 'kind' | 'requestId'>, country: string, publicUrl: string, lang: string): { subject: string; text: string } {
  const t = translator(isLang(lang) ? lang : 'es');
  const what = t(`notify.kind.${n.kind}`);
  const link = `${publicUrl.replace(/\/+$/, '')}/requests/${n.requestId}`;
  return {
    subject: t('mail.subject', { country, what }),
    text: `${t('mail.body', { country, what, reference: n.requestId })}\n\n${link}\n\n${t('mail.noContent')}\n${t('mail.why')}\n`,
  };
}

/** Sends notification e-mail through one pooled SMTP connection; a failure is logged, never thrown to the notifier. */
export class Mailer {
  readonly #cfg: MailConfig;
  readonly #country: string;
  readonly #logger: Logger;
  readonly #transport: Transporter;

  constructor(cfg: MailConfig, password: string | undefined, country: string, logger: Logger) {
    this.#cfg = cfg;
    this.#country = country;
    this.#logger = logger;
    this.#transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.tls === 'tls',
      requireTLS: cfg.tls === 'starttls',
      ignoreTLS: cfg.tls === 'none',
      pool: true,
      maxConnections: 2,
      ...(cfg.user ? { auth: { user: cfg.user, pass: password ?? '' } } : {}),
    });
  }

  async send(n: NewNotification, to: MailRecipient[]): Promise<void> {
    await Promise.all(
      to.map(async (r) => {
        const mail = mailOf(n, this.#country, this.#cfg.publicUrl, r.lang);
        try {
          await this.#transport.sendMail({ from: this.#cfg.from, to: r.address, subject: mail.subject, text: mail.text });
        } catch (e) {
          this.#logger.warn({ err: { code: (e as { code?: string }).code, message: (e as Error).message }, user: r.userId }, 'notification e-mail not sent');
        }
      }),
    );
  }

  close(): void {
    this.#transport.close();
  }
}
