import { formatDateTime, h } from '../dom.js';
import type { Session } from '../session.js';
import type { Profile } from '../types.js';
import { avatar, details, displayName, statusBadge } from './common.js';
import { toast } from './toast.js';

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older browsers, or a page that is not a secure context: the selection-based copy still works.
    const area = h('textarea', { class: 'offscreen', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new Error('copy refused');
  }
}

export function copyTokenButton(session: Session): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'copy-token' }, 'Copy access token');
  button.addEventListener('click', () => {
    const token = session.accessToken;
    if (!token) return;
    copyText(token).then(
      () => {
        button.textContent = 'Copied ✓';
        toast('Access token copied. Send it as "Authorization: Bearer <token>".');
        setTimeout(() => (button.textContent = 'Copy access token'), 2000);
      },
      () => toast('The browser refused to copy; copy the token from the developer tools instead.', 'error'),
    );
  });
  return button;
}

/** The signed-in person's own profile, as /api/v1/me returns it. */
export function profileCard(profile: Profile, session: Session): HTMLElement {
  const exp = session.claims?.exp;
  const groups = profile.groups.length
    ? h(
        'span',
        { class: 'chips' },
        profile.groups.map((group) => h('span', { class: 'chip' }, group)),
      )
    : h('span', { class: 'muted' }, 'none');
  return h(
    'section',
    { class: 'card profile', 'aria-labelledby': 'profile-title' },
    h(
      'div',
      { class: 'profile-head' },
      avatar(profile, 'large'),
      h(
        'div',
        { class: 'profile-who' },
        h('h2', { id: 'profile-title' }, displayName(profile)),
        h('p', { class: 'muted' }, [profile.username ? `@${profile.username}` : null, profile.email].filter(Boolean).join(' · ')),
        h(
          'p',
          { class: 'profile-status' },
          statusBadge({ status: profile.isActive ? 'active' : 'deactivated' }),
          ' ',
          h('span', { class: 'muted' }, 'Groups:'),
          ' ',
          groups,
        ),
      ),
      h(
        'div',
        { class: 'profile-actions' },
        copyTokenButton(session),
        exp ? h('p', { class: 'muted small' }, `Token valid until ${formatDateTime(new Date(exp * 1000).toISOString())}`) : null,
      ),
    ),
    h(
      'details',
      { class: 'profile-more' },
      h('summary', {}, 'All profile fields'),
      details([
        ['User id', h('code', {}, profile.id)],
        ['Cognito sub', h('code', {}, profile.sub)],
        ['Email verified', profile.emailVerified ? 'Yes' : 'No'],
        ['Preferred email', profile.preferredEmail],
        ['Phone', profile.phone],
        ['Texting OK', profile.textingOk ? 'Yes' : 'No'],
        ['Time zone', profile.timeZone],
        ['GitHub', profile.githubHandle],
        ['Slack member id', profile.slackMemberId],
        ['LinkedIn', profile.linkedinAccount],
        ['Member since', formatDateTime(profile.createdAt)],
      ]),
    ),
  );
}
