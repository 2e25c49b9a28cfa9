import { Api, ApiProblem } from './api.js';
import { byId, h, replace } from './dom.js';
import { Session, SignInError } from './session.js';
import { completeSignIn, redirectUri, signOut, startSignIn } from './sign-in.js';
import type { Profile, Settings, UserPage } from './types.js';
import { AuditPanel } from './views/audit.js';
import { errorBox } from './views/common.js';
import { PoolAccessState } from './views/pool-access.js';
import { PoolUsersPanel } from './views/pool-users.js';
import { profileCard } from './views/profile.js';
import { UsersPanel } from './views/users.js';

const app = byId('app');
const sessionBar = byId('session');

function messageOf(error: unknown): string {
  return error instanceof ApiProblem || error instanceof SignInError
    ? error.message
    : 'Something unexpected went wrong. Reload the page to try again.';
}

function showSignedOut(session: Session, problem?: string): void {
  replace(sessionBar);
  const button = h('button', { type: 'button', class: 'button button-primary button-large', 'data-testid': 'sign-in' }, 'Sign in');
  button.addEventListener('click', () => {
    button.disabled = true;
    startSignIn(session).catch((error: unknown) => {
      button.disabled = false;
      replace(slot, errorBox(messageOf(error)));
    });
  });
  const slot = h('div', {}, problem ? errorBox(problem) : null);
  replace(
    app,
    h(
      'section',
      { class: 'card sign-in' },
      h('h1', {}, 'Sign in to manage users'),
      h(
        'p',
        { class: 'muted' },
        'Use your account in the user pool. Everyone signed in can see their profile and copy an access token; admins also manage users here.',
      ),
      slot,
      session.signIn
        ? button
        : errorBox(
            `Sign-in is not configured on this server: set COGNITO_DOMAIN and COGNITO_WEB_CLIENT_ID (with ${redirectUri()} as a callback URL of that app client).`,
          ),
    ),
  );
}

function showSessionBar(session: Session, profile: Profile | null): void {
  const name = profile?.username ?? session.claims?.username ?? 'signed in';
  const out = h('button', { type: 'button', class: 'button button-quiet', 'data-testid': 'sign-out' }, 'Sign out');
  out.addEventListener('click', () => {
    signOut(session);
    showSignedOut(session);
  });
  replace(sessionBar, h('span', { class: 'session-user' }, 'Signed in as ', h('strong', {}, name)), out);
}

function adminConsole(api: Api, profile: Profile, firstPage: UserPage, pools: string[]): HTMLElement {
  const access = new PoolAccessState(api);
  void access.load();
  const users = new UsersPanel(api, access, profile, firstPage, pools);
  const poolUsers = new PoolUsersPanel(api, access, (user) => users.dialog.open(user), pools, profile.pool);
  const audit = new AuditPanel(api);
  const panels = h('div', { class: 'panel' }, users.element);
  const tabs: Array<[string, HTMLElement, () => void]> = [
    ['Users', users.element, () => void users.load()],
    ['Pool accounts', poolUsers.element, () => void poolUsers.load()],
    ['Audit trail', audit.element, () => void audit.load(1)],
  ];
  const tabList = h('div', { class: 'tabs', role: 'tablist' });
  for (const [label, element, refresh] of tabs) {
    const tab = h('button', { type: 'button', role: 'tab', 'aria-selected': String(element === users.element) }, label);
    tab.addEventListener('click', () => {
      for (const other of tabList.children) other.setAttribute('aria-selected', String(other === tab));
      replace(panels, element);
      refresh();
    });
    tabList.append(tab);
  }
  return h('section', { class: 'card console', 'aria-label': 'User management' }, tabList, panels);
}

function notAnAdmin(): HTMLElement {
  return h(
    'section',
    { class: 'card notice', 'data-testid': 'not-admin' },
    h('h2', {}, 'You are not an admin'),
    h(
      'p',
      {},
      'Your account is signed in, but it is not in an admin group, so user management is not available to you. ' +
        'You can still copy your access token above to call the API. If you should be an admin, ask one to add you to the admin group in the user pool.',
    ),
  );
}

async function showSignedIn(session: Session, api: Api, pools: string[]): Promise<void> {
  let profile: Profile;
  try {
    profile = await api.get<Profile>('/api/v1/me');
  } catch (error) {
    // A 401 has already brought the sign-in view back (see the Api's onSignedOut).
    if (error instanceof ApiProblem && error.status === 401) return;
    showSessionBar(session, null);
    const disabled = error instanceof ApiProblem && error.code === 'account_disabled';
    replace(
      app,
      h(
        'section',
        { class: 'card message' },
        h('h1', {}, disabled ? 'Your account is deactivated' : 'Your profile could not be loaded'),
        errorBox(messageOf(error)),
      ),
    );
    return;
  }
  showSessionBar(session, profile);
  const card = profileCard(profile, session);
  replace(app, card, h('p', { class: 'loading' }, 'Loading users…'));
  try {
    // The API decides who is an admin: a 403 here is the answer, whatever the token's groups say.
    const firstPage = await api.get<UserPage>('/api/v1/admin/users', { page: 1, pageSize: 20 });
    replace(app, card, adminConsole(api, profile, firstPage, pools));
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return;
    replace(app, card, error instanceof ApiProblem && error.code === 'forbidden' ? notAnAdmin() : errorBox(messageOf(error)));
  }
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    const response = await fetch('/admin/settings.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    settings = (await response.json()) as Settings;
  } catch {
    replace(app, errorBox('Could not load the sign-in settings from the server. Reload the page to try again.'));
    return;
  }
  const session = new Session(settings.signIn);
  try {
    await completeSignIn(session);
  } catch (error) {
    return showSignedOut(session, messageOf(error));
  }
  if (!session.accessToken) return showSignedOut(session);
  await showSignedIn(session, new Api(session, (message) => showSignedOut(session, message)), settings.pools);
}

void main();
