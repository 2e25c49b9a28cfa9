import { jsonDepthExceeds } from './json-body-parser.js';

describe(jsonDepthExceeds.name, () => {
  it.each([
    ['a flat object', '{"a":1,"b":[1,2]}', 2, false],
    ['exactly the limit', '[[[1]]]', 3, false],
    ['one level too deep', '[[[[1]]]]', 3, true],
    ['brackets inside strings', '{"a":"[[[[[{{{{"}', 1, false],
    ['escaped quotes inside strings', '{"a":"\\"[[[["}', 1, false],
    ['an unclosed nest', '[[[[[[', 5, true],
    ['siblings, not nesting', '[[1],[2],[3],[4]]', 2, false],
  ])('%s', (_case, text, limit, expected) => {
    expect(jsonDepthExceeds(text, limit)).toBe(expected);
  });
});
