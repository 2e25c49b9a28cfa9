import { type CognitoAnswer, fail } from './cognito-answer.js';

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

/** A new pool's policy in Cognito: 8 characters with upper and lower case letters, a number and a symbol. */
export const DEFAULT_PASSWORD_POLICY: Required<PasswordPolicy> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

// Cognito's symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and the space.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** undefined when the password satisfies the policy, else Cognito's InvalidPasswordException. */
export function passwordProblem(password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): CognitoAnswer | undefined {
  const rules = { ...DEFAULT_PASSWORD_POLICY, ...policy };
  const problem =
    password.length < rules.MinimumLength
      ? 'Password not long enough'
      : rules.RequireLowercase && !/[a-z]/.test(password)
        ? 'Password must have lowercase characters'
        : rules.RequireUppercase && !/[A-Z]/.test(password)
          ? 'Password must have uppercase characters'
          : rules.RequireNumbers && !/[0-9]/.test(password)
            ? 'Password must have numeric characters'
            : rules.RequireSymbols && !SYMBOL.test(password)
              ? 'Password must have symbol characters'
              : undefined;
  return problem === undefined ? undefined : fail('InvalidPasswordException', `Password did not conform with policy: ${problem}`);
}
