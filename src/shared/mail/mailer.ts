import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { logger } from "../logger.js";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface SentMail {
  messageId: string;
  /** The .eml file, when mail goes to MAIL_DIR. */
  file?: string;
}

/**
 * Real RFC 5322 messages built by nodemailer: written one `.eml` file each into MAIL_DIR, or
 * sent through SMTP_URL. Mail is sent after the transaction that caused it has committed, so a
 * rolled-back mutation never mails anyone.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

export const MAIL_FROM = '"CSP Channel" <no-reply@csp-channel.example>';

export function createMailer(options: { mailDir: string; smtpUrl?: string }): Mailer {
  if (options.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        const info = await transport.sendMail({ from: MAIL_FROM, ...mail });
        return { messageId: String(info.messageId) };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: MAIL_FROM, ...mail });
      await mkdir(options.mailDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.eml`;
      const file = join(options.mailDir, name);
      // Written under a temporary name and renamed, so a reader never sees half a message.
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
      return { messageId: String(info.messageId), file };
    },
    close: () => transport.close(),
  };
}

/** Sends after commit; a failed delivery is logged, never turned into a failed mutation. */
export async function sendAfterCommit(mailer: Mailer, mail: OutgoingMail): Promise<SentMail | null> {
  try {
    return await mailer.send(mail);
  } catch (error) {
    logger.error({ err: error, to: mail.to, subject: mail.subject }, "mail delivery failed");
    return null;
  }
}
