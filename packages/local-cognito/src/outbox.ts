import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a message is for: the code's purpose (an invitation's `code` is its temporary password). */
export type MessageKind = 'sign-up' | 'forgot-password' | 'verify-email' | 'verify-phone_number' | 'email-otp' | 'sms-otp' | 'invitation';

export interface OutboxMessage {
  username: string;
  /** The address it would go to: an email address or a phone number. */
  destination: string;
  kind: MessageKind;
  code: string;
  /** ISO 8601. */
  sentAt: string;
}

/** Enough for a day of local work; the oldest go first. */
export const OUTBOX_LIMIT = 500;

/**
 * Every message the local pool would send (no email or SMS leaves the machine): kept newest first in
 * a JSON file of the pool's data folder, so a restart between a sign-up and its confirmation loses nothing.
 */
export class Outbox {
  private messages: OutboxMessage[];

  constructor(
    private readonly file: string,
    private readonly print: (line: string) => void = () => undefined,
  ) {
    this.messages = readMessages(file);
  }

  send(message: Omit<OutboxMessage, 'sentAt'>): OutboxMessage {
    const sent = { ...message, sentAt: new Date().toISOString() };
    this.messages = [sent, ...this.messages].slice(0, OUTBOX_LIMIT);
    mkdirSync(dirname(this.file), { recursive: true });
    // Written whole then renamed: a reader never sees half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ messages: this.messages }));
    renameSync(`${this.file}.tmp`, this.file);
    this.print(`Local Cognito outbox: ${sent.kind} code ${sent.code} for ${sent.username} to ${sent.destination}`);
    return sent;
  }

  /** Newest first; every user's when `username` is undefined. */
  list(username?: string): OutboxMessage[] {
    return username === undefined ? [...this.messages] : this.messages.filter((message) => message.username === username);
  }
}

function readMessages(file: string): OutboxMessage[] {
  try {
    const { messages } = JSON.parse(readFileSync(file, 'utf8')) as { messages?: unknown };
    return Array.isArray(messages) ? (messages as OutboxMessage[]).slice(0, OUTBOX_LIMIT) : [];
  } catch {
    return [];
  }
}
