import type { Api } from '../api.js';
import { ApiProblem } from '../api.js';
import { formatDateTime, h, replace } from '../dom.js';
import type { AuditEntry, AuditPage } from '../types.js';
import { errorBox, pager } from './common.js';

export const FIELD_LABELS: Record<string, string> = {
  isActive: 'Active',
  firstName: 'First name',
  lastName: 'Last name',
  preferredEmail: 'Preferred email',
  githubHandle: 'GitHub',
  slackMemberId: 'Slack member id',
  linkedinAccount: 'LinkedIn',
  phone: 'Phone',
  textingOk: 'Texting OK',
  timeZone: 'Time zone',
  email: 'Email',
  emailVerified: 'Email verified',
  username: 'Username',
  tokensRevokedBefore: 'Tokens revoked before',
  poolSignOut: 'Pool sign-out',
  poolAccount: 'Pool account',
  pool: 'User pool',
  group: 'Group',
  groups: 'Groups',
  invitationSent: 'Invitation sent',
  passwordReset: 'Password reset',
};

const ACTIONS: Record<string, { label: string; kind: string }> = {
  'user.deactivated': { label: 'Deactivated', kind: 'badge-off' },
  'user.reactivated': { label: 'Reactivated', kind: 'badge-ok' },
  'user.updated': { label: 'Profile edited', kind: 'badge-info' },
  'user.refreshed': { label: 'Refreshed from pool', kind: 'badge-info' },
  'user.signed_out': { label: 'Signed out everywhere', kind: 'badge-off' },
  'user.erased': { label: 'Erased', kind: 'badge-off' },
  'user.invited': { label: 'Invited', kind: 'badge-info' },
  'user.invitation_resent': { label: 'Invitation resent', kind: 'badge-info' },
  'user.group_added': { label: 'Added to group', kind: 'badge-info' },
  'user.group_removed': { label: 'Removed from group', kind: 'badge-off' },
  'user.password_reset': { label: 'Password reset', kind: 'badge-off' },
  'user.pool_deleted': { label: 'Pool account deleted', kind: 'badge-off' },
};

function shown(value: unknown): HTMLElement {
  if (value === null || value === undefined || value === '') return h('span', { class: 'value value-empty' }, 'empty');
  if (typeof value === 'boolean') return h('span', { class: 'value' }, value ? 'yes' : 'no');
  return h('span', { class: 'value' }, typeof value === 'object' ? JSON.stringify(value) : String(value as string | number));
}

function changes(entry: AuditEntry): HTMLElement {
  return h(
    'ul',
    { class: 'changes' },
    [...new Set([...Object.keys(entry.before), ...Object.keys(entry.after)])].map((field) =>
      h(
        'li',
        {},
        h('span', { class: 'field' }, FIELD_LABELS[field] ?? field),
        shown(entry.before[field]),
        h('span', { class: 'arrow', 'aria-label': 'changed to' }, '→'),
        shown(entry.after[field]),
      ),
    ),
  );
}

function actionBadge(action: string): HTMLElement {
  const known = ACTIONS[action] ?? { label: action, kind: 'badge-info' };
  return h('span', { class: `badge ${known.kind}` }, known.label);
}

/** The audit trail, newest first: all changes, or (with targetId) those made to one user. */
export class AuditPanel {
  readonly element = h('div', { class: 'audit' });
  private page = 1;

  constructor(
    private readonly api: Api,
    private readonly options: { targetId?: string; pageSize?: number; emptyText?: string } = {},
  ) {}

  async load(page = this.page): Promise<void> {
    this.page = page;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const result = await this.api.get<AuditPage>('/api/v1/admin/audit', {
        page,
        pageSize: this.options.pageSize ?? 20,
        targetId: this.options.targetId,
      });
      this.render(result);
    } catch (error) {
      replace(this.element, errorBox(error instanceof ApiProblem ? error.message : String(error)));
    } finally {
      this.element.removeAttribute('aria-busy');
    }
  }

  private render(result: AuditPage): void {
    if (result.total === 0) {
      replace(this.element, h('p', { class: 'empty' }, this.options.emptyText ?? 'No admin changes yet.'));
      return;
    }
    const oneUser = this.options.targetId !== undefined;
    const table = h(
      'table',
      { class: 'table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'When'),
          h('th', {}, 'Admin'),
          h('th', {}, 'Action'),
          oneUser ? null : h('th', {}, 'User'),
          h('th', {}, 'Changes'),
        ),
      ),
      h(
        'tbody',
        {},
        result.items.map((entry) =>
          h(
            'tr',
            { 'data-testid': 'audit-row' },
            h('td', { class: 'nowrap' }, formatDateTime(entry.createdAt)),
            h('td', {}, entry.actor.username ?? entry.actor.sub),
            h('td', {}, actionBadge(entry.action)),
            oneUser ? null : h('td', {}, entry.target.username ?? entry.target.id),
            h('td', {}, changes(entry)),
          ),
        ),
      ),
    );
    replace(
      this.element,
      h('div', { class: 'table-wrap' }, table),
      result.total > result.pageSize ? pager(result.page, result.pageSize, result.total, (page) => void this.load(page)) : null,
    );
  }
}
