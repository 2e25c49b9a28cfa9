import type { Outbox, OutboxMessage } from './outbox.js';

export interface PageAnswer {
  status: number;
  type: string;
  body: string;
}

/** `/_local/messages` (JSON, for tests) and `/_local/outbox` (a page, for a person); undefined for any other path. */
export function outboxPage(outbox: Outbox, pathname: string, params: URLSearchParams): PageAnswer | undefined {
  const username = params.get('username') ?? undefined;
  if (pathname === '/_local/messages') {
    return { status: 200, type: 'application/json', body: JSON.stringify({ messages: outbox.list(username) }) };
  }
  if (pathname === '/_local/outbox')
    return { status: 200, type: 'text/html; charset=utf-8', body: outboxHtml(outbox.list(username), username) };
  return undefined;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function outboxHtml(messages: OutboxMessage[], username: string | undefined): string {
  const rows = messages
    .map(
      (message) =>
        `<tr><td>${escapeHtml(message.sentAt)}</td><td>${escapeHtml(message.username)}</td><td>${escapeHtml(message.destination)}</td>` +
        `<td>${escapeHtml(message.kind)}</td><td><code>${escapeHtml(message.code)}</code></td></tr>`,
    )
    .join('\n');
  const title = username === undefined ? 'every user' : escapeHtml(username);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Local Cognito outbox</title><link rel="icon" href="/favicon.svg">
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1f2937}table{border-collapse:collapse}td,th{padding:.4rem .8rem;border-bottom:1px solid #e5e7eb;text-align:left}code{font-size:1.1rem}</style>
</head><body>
<h1>Local Cognito outbox</h1>
<p>Messages the local pool would have sent to ${title}, newest first (nothing leaves this machine). The page reloads every 5 seconds.</p>
${messages.length === 0 ? '<p>No messages yet.</p>' : `<table><thead><tr><th>sent at</th><th>username</th><th>to</th><th>kind</th><th>code</th></tr></thead><tbody>\n${rows}\n</tbody></table>`}
</body></html>`;
}
