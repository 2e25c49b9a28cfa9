import { ConfigError, loadConfig } from './load-config.js';

const BASE = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  COGNITO_REGION: 'us-west-2',
  COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
  COGNITO_CLIENT_IDS: 'backend,web',
};

describe(`${loadConfig.name}: the /admin sign-in settings`, () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ ...BASE, ...env });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('accepts a Hosted UI domain with a web client that the API also accepts tokens of', () => {
    const sut = loadConfig({ ...BASE, COGNITO_DOMAIN: 'https://x.auth.us-west-2.amazoncognito.com/', COGNITO_WEB_CLIENT_ID: 'web' });
    expect(sut.cognito).toMatchObject({ domain: 'https://x.auth.us-west-2.amazoncognito.com', webClientId: 'web' });
  });

  it('refuses a web client whose tokens the API would refuse', () => {
    expect(problemsOf({ COGNITO_DOMAIN: 'https://x.auth.us-west-2.amazoncognito.com', COGNITO_WEB_CLIENT_ID: 'other' })).toEqual([
      "COGNITO_WEB_CLIENT_ID must also be listed in COGNITO_CLIENT_IDS: the /admin page calls the API with that client's tokens",
    ]);
  });

  it('wants the domain and the web client together', () => {
    expect(problemsOf({ COGNITO_WEB_CLIENT_ID: 'web' })).toHaveLength(1);
    expect(problemsOf({ COGNITO_DOMAIN: 'https://x.auth.us-west-2.amazoncognito.com' })).toHaveLength(1);
  });
});
