/**
 * Every response header value built from input passes through here: Node throws (a 500, and no
 * answer at all) on a header value holding anything outside Latin-1, and a CR or LF would split the
 * header. Visible ASCII and tabs are kept; anything else becomes "?".
 */
export function safeHeaderValue(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, '?');
}

/** An RFC 9110 quoted-string of a text that came from input: safe characters, no quote or backslash to escape. */
export function quotedString(value: string): string {
  return `"${safeHeaderValue(value).replace(/["\\]/g, '')}"`;
}
