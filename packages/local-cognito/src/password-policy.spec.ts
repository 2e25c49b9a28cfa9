import { passwordProblem } from './password-policy.js';

describe(passwordProblem.name, () => {
  it.each([
    ['Ab-1', 'Password not long enough'],
    ['ABCDEFG-1', 'Password must have lowercase characters'],
    ['abcdefg-1', 'Password must have uppercase characters'],
    ['Abcdefg-x', 'Password must have numeric characters'],
    ['Abcdefg12', 'Password must have symbol characters'],
  ])('refuses %s under the default policy: %s', (password, problem) => {
    expect(passwordProblem(password)).toEqual({
      status: 400,
      type: 'InvalidPasswordException',
      message: `Password did not conform with policy: ${problem}`,
    });
  });

  it("accepts a password that meets the pool's own policy", () => {
    expect(passwordProblem('Alice-pass-1')).toBeUndefined();
    expect(
      passwordProblem('abcdef', { MinimumLength: 6, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false }),
    ).toBeUndefined();
  });
});
