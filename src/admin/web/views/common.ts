import { h } from '../dom.js';
import type { AdminUser, Profile } from '../types.js';

export function displayName(user: Pick<AdminUser, 'firstName' | 'lastName' | 'username' | 'email'>): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return name || user.username || user.email || 'Unnamed user';
}

export function initials(user: Pick<AdminUser, 'firstName' | 'lastName' | 'username' | 'email'>): string {
  const letters = [user.firstName, user.lastName].filter(Boolean).map((part) => part!.charAt(0));
  return (letters.length ? letters.join('') : (user.username ?? user.email ?? '?').charAt(0)).toUpperCase();
}

export function avatar(
  user: Pick<Profile, 'firstName' | 'lastName' | 'username' | 'email'>,
  size: 'small' | 'large' = 'small',
): HTMLElement {
  return h('span', { class: `avatar avatar-${size}`, 'aria-hidden': 'true' }, initials(user));
}

export function statusBadge(user: Pick<AdminUser, 'status'>): HTMLElement {
  if (user.status === 'invited') return h('span', { class: 'badge badge-wait', title: 'Invited; has not signed in yet' }, 'Invited');
  return user.status === 'active'
    ? h('span', { class: 'badge badge-ok' }, 'Active')
    : h('span', { class: 'badge badge-off' }, 'Deactivated');
}

export function errorBox(message: string): HTMLElement {
  return h('div', { class: 'alert alert-error', role: 'alert' }, message);
}

/** "21–40 of 57" (or "of about 1,200,000" when the total is an estimate) with previous/next buttons; `go` receives the page to show. */
export function pager(page: number, pageSize: number, total: number, go: (page: number) => void, estimate = false): HTMLElement {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    h(
      'span',
      { class: 'pager-range' },
      total === 0 ? 'No results' : `${first}–${last} of ${estimate ? `about ${total.toLocaleString()}` : total}`,
    ),
    h(
      'span',
      { class: 'pager-buttons' },
      h('button', { type: 'button', class: 'button button-quiet', disabled: page <= 1, onclick: () => go(page - 1) }, '← Previous'),
      h('span', { class: 'pager-page' }, `Page ${page} of ${estimate ? `about ${pages.toLocaleString()}` : pages}`),
      h('button', { type: 'button', class: 'button button-quiet', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next →'),
    ),
  );
}

/** A definition list of label/value pairs; empty values show as a dash. */
export function details(rows: Array<[string, string | Node | null | undefined]>): HTMLElement {
  return h(
    'dl',
    { class: 'details' },
    rows.flatMap(([label, value]) => [
      h('dt', {}, label),
      h('dd', {}, value === null || value === undefined || value === '' ? h('span', { class: 'muted' }, '—') : value),
    ]),
  );
}

/**
 * A choice of pool for a list or a form, shown only when the server accepts several pools.
 * `all` adds an "All pools" choice (value ''); `chosen` is the choice at first.
 */
export function poolSelect(pools: string[], chosen: string, onChange: (pool: string) => void, all = false): HTMLSelectElement | null {
  if (pools.length < 2) return null;
  const select = h(
    'select',
    { class: 'select', 'aria-label': 'User pool', 'data-testid': 'pool-select' },
    all ? h('option', { value: '' }, 'All pools') : null,
    pools.map((pool) => h('option', { value: pool, selected: pool === chosen }, `Pool ${pool}`)),
  );
  select.addEventListener('change', () => onChange(select.value));
  return select;
}
