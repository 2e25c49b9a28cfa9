import { applyOverrides } from './pre-token-hook.js';

describe('applyOverrides (a pre-token-generation answer applied as Cognito applies it)', () => {
  const access = { sub: 's', scope: 'aws.cognito.signin.user.admin', client_id: 'c', 'cognito:groups': ['admin'], jti: 'j' };
  const id = { sub: 's', email: 'a@example.com', token_use: 'id', 'cognito:groups': ['admin'] };

  it('adds, overrides and suppresses claims and scopes, and replaces groups', () => {
    const result = applyOverrides(id, access, {
      idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme' }, claimsToSuppress: ['email'] },
      accessTokenGeneration: { scopesToAdd: ['orders/read', 'bad scope'], scopesToSuppress: ['aws.cognito.signin.user.admin'] },
      groupOverrideDetails: {
        groupsToOverride: ['editors'],
        iamRolesToOverride: ['arn:aws:iam::1:role/r'],
        preferredRole: 'arn:aws:iam::1:role/r',
      },
    });
    expect(result.id).toEqual({
      sub: 's',
      token_use: 'id',
      tenant: 'acme',
      'cognito:groups': ['editors'],
      'cognito:roles': ['arn:aws:iam::1:role/r'],
      'cognito:preferred_role': 'arn:aws:iam::1:role/r',
    });
    expect(result.access).toMatchObject({ scope: 'orders/read', 'cognito:groups': ['editors'] });
  });

  it('leaves protected claims, and the access token claims Cognito keeps, as they are', () => {
    const result = applyOverrides(id, access, {
      idTokenGeneration: { claimsToAddOrOverride: { sub: 'x', iss: 'x', 'cognito:groups': ['x'] }, claimsToSuppress: ['token_use', 'sub'] },
      accessTokenGeneration: { claimsToAddOrOverride: { client_id: 'x', scope: 'x', jti: 'x' }, claimsToSuppress: ['sub', 'client_id'] },
    });
    expect(result).toEqual({ id, access });
  });

  it('drops every group and the scope claim when the answer empties them', () => {
    const result = applyOverrides(undefined, access, {
      accessTokenGeneration: { scopesToSuppress: ['aws.cognito.signin.user.admin'] },
      groupOverrideDetails: { groupsToOverride: [] },
    });
    expect(result.access).toEqual({ sub: 's', client_id: 'c', jti: 'j' });
  });
});
