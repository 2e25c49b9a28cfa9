/** An answer of Cognito's JSON API: 200 with a body, or 400 with Cognito's exception name. */
export type CognitoAnswer = { status: 200; body: object } | { status: 400; type: string; message: string };

export const fail = (type: string, message: string): CognitoAnswer => ({ status: 400, type, message });

/** Cognito's answer to a wrong password and to an unknown user alike (PreventUserExistenceErrors). */
export const WRONG_CREDENTIALS = fail('NotAuthorizedException', 'Incorrect username or password.');

export const text = (value: unknown): string => (typeof value === 'string' ? value : '');
