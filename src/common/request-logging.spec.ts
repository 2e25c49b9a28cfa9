import type { IncomingMessage } from 'node:http';
import { requestId } from './request-logging.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const withHeader = (value?: string | string[]) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

describe(requestId.name, () => {
  it("keeps the caller's id when it is short and plain", () => {
    expect(requestId(withHeader('lb-1f2e3d:42.7_x'))).toBe('lb-1f2e3d:42.7_x');
  });

  it.each([
    ['no header', undefined],
    ['an empty one', ''],
    ['spaces', 'two words'],
    ['a line break (log injection)', 'abc\n{"level":60}'],
    ['an overlong one', 'x'.repeat(129)],
    ['two headers', ['a', 'b']],
  ])('makes a new one for %s', (_case, value) => {
    expect(requestId(withHeader(value))).toMatch(UUID);
  });
});
