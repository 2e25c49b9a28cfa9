/** The /admin page's icon (src/admin/web/favicon.svg): the pool's sign-in page belongs to the same product. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4338ca"/><circle cx="16" cy="12.5" r="5" fill="#fff"/><path d="M7 26c1.2-5 4.7-7.5 9-7.5s7.8 2.5 9 7.5" fill="#fff"/></svg>';

export interface SeededUserHint {
  username: string;
  password: string;
  groups: string[];
  /** The emulator's name of the user's pool: the sign-in page of another pool's client does not offer the user. */
  poolName?: string;
}

/** The form field of the seeded users' buttons: the pool fills in that user's username and password. */
export const SEEDED_USER_FIELD = 'seeded_user';

/** The fields of an authorization request that the form carries back to POST /oauth2/authorize. */
export interface AuthorizeRequest {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  code_challenge: string;
  code_challenge_method: string;
  scope: string;
  state: string;
  /** RFC 8707's resource indicator: the access token's audience. */
  resource: string;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

// Same palette and shapes as src/admin/web/styles.css, inline: this page is served by the pool, not the API.
const STYLE = `
:root { --bg: #f4f5f8; --surface: #fff; --border: #e3e5ec; --border-strong: #cfd3dd; --text: #1b1f2a; --muted: #636b7d;
  --accent: #4338ca; --accent-hover: #3730a3; --accent-soft: #eef0ff; --danger: #c0262d; --danger-soft: #fdecec; --warn-soft: #fff6e0;
  --radius: 10px; --shadow: 0 1px 2px rgba(16,24,40,.05), 0 1px 3px rgba(16,24,40,.06);
  font-family: ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--text); background: var(--bg); }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
h1 { margin: 0; font-size: 1.35rem; line-height: 1.25; }
p { margin: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; background: #f1f2f6; padding: 1px 5px; border-radius: 4px; }
.topbar { display: flex; align-items: center; gap: 10px; padding: 12px 28px; background: var(--surface); border-bottom: 1px solid var(--border); font-weight: 650; }
.badge { font-size: .75rem; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: var(--warn-soft); color: #7a5200; border: 1px solid #f3dca4; }
main { flex: 1; display: flex; justify-content: center; align-items: flex-start; padding: 48px 16px; }
.card { width: 100%; max-width: 420px; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 28px; display: flex; flex-direction: column; gap: 18px; }
.muted { color: var(--muted); } .small { font-size: .85rem; }
.field { display: flex; flex-direction: column; gap: 6px; font-weight: 550; font-size: .92rem; }
.field input { font: inherit; font-weight: 400; padding: 9px 12px; border: 1px solid var(--border-strong); border-radius: 8px; background: #fff; }
.field input:focus, .button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.button { display: inline-flex; align-items: center; justify-content: center; gap: 6px; font: inherit; font-weight: 550; font-size: .92rem; line-height: 1;
  padding: 10px 14px; border-radius: 8px; border: 1px solid var(--border-strong); background: var(--surface); color: var(--text); cursor: pointer; }
.button:hover { background: #f6f7fa; }
.button-primary { width: 100%; padding: 12px 22px; font-size: 1rem; background: var(--accent); border-color: var(--accent); color: #fff; }
.button-primary:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
.alert { padding: 10px 12px; border-radius: 8px; background: var(--danger-soft); color: var(--danger); border: 1px solid #f5c2c4; font-size: .92rem; }
form.sign-in { display: flex; flex-direction: column; gap: 14px; }
.seeded { border-top: 1px solid var(--border); padding-top: 16px; display: flex; flex-direction: column; gap: 10px; }
.seeded ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.seeded li { display: flex; align-items: center; justify-content: space-between; gap: 10px; padding: 8px 10px; border: 1px solid var(--border); border-radius: 8px; }
.seeded .who { display: flex; flex-direction: column; min-width: 0; }
.seeded .button { white-space: nowrap; }
.seeded code { white-space: nowrap; }
footer { text-align: center; padding: 16px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Local Cognito pool</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<style>${STYLE}</style>
</head>
<body>
<header class="topbar">
  <img src="/favicon.svg" alt="" width="26" height="26">
  <span>Local Cognito pool</span>
  <span class="badge">local only · not AWS</span>
</header>
<main>${body}</main>
<footer class="small muted">Served on this machine by the local stack (<code>npm start</code> or its compose file). Tokens signed here are trusted only by a backend configured for this pool.</footer>
</body>
</html>`;
}

const hidden = (request: AuthorizeRequest): string =>
  Object.entries(request)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(String(value))}">`)
    .join('\n    ');

/** The Hosted UI's sign-in page: a form, and the seeded users one click away. */
export function signInPage(options: {
  request: AuthorizeRequest;
  clientName?: string;
  users: SeededUserHint[];
  error?: string;
  username?: string;
}): string {
  const { request, clientName, users, error, username = '' } = options;
  // Inside the one form, as submit buttons: the page keeps a single username and password field.
  const seeded = users.length
    ? `<section class="seeded" aria-label="Seeded users">
    <p class="small muted">Seeded users of this pool (also listed in the stack file, <code>.data/local-stack.json</code> or <code>docker/local-stack.json</code>):</p>
    <ul>${users
      .map(
        (user) => `
      <li class="seeded-user">
        <span class="who"><strong>${escape(user.username)}</strong><span class="small muted">${user.groups.length ? `groups: ${escape(user.groups.join(', '))}` : 'no groups'} · password <code>${escape(user.password)}</code></span></span>
        <button class="button" type="submit" name="${SEEDED_USER_FIELD}" value="${escape(user.username)}" formnovalidate>Continue as ${escape(user.username)}</button>
      </li>`,
      )
      .join('')}
    </ul>
  </section>`
    : '';
  return page(
    'Sign in',
    `<div class="card">
  <div>
    <h1>Sign in</h1>
    <p class="muted small">to ${clientName ? `<strong>${escape(clientName)}</strong>` : 'your app'} with an account of the local pool</p>
  </div>
  ${error ? `<p class="alert" role="alert">${escape(error)}</p>` : ''}
  <form class="sign-in" method="post" action="/oauth2/authorize">
    ${hidden(request)}
    <label class="field">Username<input name="username" autocomplete="username" autocapitalize="none" required value="${escape(username)}"${error ? '' : ' autofocus'}></label>
    <label class="field">Password<input name="password" type="password" autocomplete="current-password" required${error ? ' autofocus' : ''}></label>
    <button class="button button-primary" type="submit">Sign in</button>
    ${seeded}
  </form>
</div>`,
  );
}

/** What Cognito's Hosted UI shows for a request it refuses (unknown client, unregistered redirect_uri...). */
export function errorPage(message: string): string {
  return page(
    'Error',
    `<div class="card">
  <h1>This sign-in link does not work</h1>
  <p class="alert" role="alert">${escape(message)}</p>
  <p class="small muted">Register the address in the app client's callback URLs: for <code>npm start</code>, list it in <code>LOCAL_CALLBACK_URLS</code>.</p>
</div>`,
  );
}
