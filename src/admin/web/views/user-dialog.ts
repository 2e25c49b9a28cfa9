import { Api, ApiProblem } from '../api.js';
import { formatDateTime, h, replace } from '../dom.js';
import type { AdminUser, AdminUserChange, EraseResult, PoolActionResult, UserChanges } from '../types.js';
import { AuditPanel, FIELD_LABELS } from './audit.js';
import { avatar, details, displayName, errorBox, statusBadge } from './common.js';
import { deniedNote, poolButton, type PoolAccessState } from './pool-access.js';
import { toast } from './toast.js';
import { UserGroupsSection } from './user-groups.js';

type Mode = 'view' | 'confirm' | 'edit' | 'confirm-sign-out' | 'confirm-erase' | 'confirm-reset';

const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'preferredEmail',
  'phone',
  'timeZone',
  'githubHandle',
  'slackMemberId',
  'linkedinAccount',
] as const;

const PLACEHOLDERS: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {
  phone: '+14155550123',
  timeZone: 'Europe/Berlin',
  githubHandle: 'octocat',
  slackMemberId: 'U012AB3CD',
};

/** One user in a modal sheet: their fields, deactivate/reactivate (confirmed first), edits and history. */
export class UserDialog {
  private readonly dialog = h('dialog', { class: 'sheet', 'aria-labelledby': 'sheet-title', 'data-testid': 'user-dialog' });
  private user: AdminUser | null = null;
  private busy = false;

  constructor(
    private readonly api: Api,
    private readonly access: PoolAccessState,
    private readonly myId: string,
    private readonly onChanged: (user: AdminUser) => void,
  ) {
    document.body.append(this.dialog);
    this.dialog.addEventListener('close', () => replace(this.dialog));
  }

  open(user: AdminUser): void {
    this.user = user;
    this.render('view');
    this.dialog.showModal();
  }

  private render(mode: Mode, error?: string): void {
    const user = this.user!;
    const history = new AuditPanel(this.api, { targetId: user.id, pageSize: 5, emptyText: 'No admin has changed this user yet.' });
    const groups = new UserGroupsSection(this.api, this.access, user, user.id === this.myId, () => this.render('confirm-sign-out'));
    if (mode === 'view') void groups.load();
    replace(
      this.dialog,
      h(
        'header',
        { class: 'sheet-head' },
        avatar(user, 'large'),
        h(
          'div',
          { class: 'sheet-title' },
          // Focus lands on the title (read out first), not on the first button.
          h('h2', { id: 'sheet-title', tabindex: '-1', autofocus: true }, displayName(user), ' ', statusBadge(user)),
          h('p', { class: 'muted' }, [user.username ? `@${user.username}` : null, user.email].filter(Boolean).join(' · ')),
        ),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => this.dialog.close() }, '×'),
      ),
      h(
        'div',
        { class: 'sheet-body' },
        error ? errorBox(error) : null,
        mode === 'confirm' ? this.confirmation(user) : null,
        mode === 'confirm-sign-out' ? this.signOutConfirmation(user) : null,
        mode === 'confirm-erase' ? this.eraseConfirmation(user) : null,
        mode === 'confirm-reset' ? this.resetConfirmation(user) : null,
        mode === 'edit' ? this.editForm(user) : this.fields(user),
        mode === 'view' ? [h('h3', { class: 'section-title' }, 'Groups in the pool'), groups.element] : null,
        h('h3', { class: 'section-title' }, 'History'),
        history.element,
      ),
      mode === 'view' ? this.actions(user) : null,
    );
    void history.load();
  }

  private fields(user: AdminUser): HTMLElement {
    return details([
      ['Email', user.email ? `${user.email}${user.emailVerified ? ' (verified)' : ' (not verified)'}` : null],
      ['Preferred email', user.preferredEmail],
      ['Phone', user.phone ? `${user.phone}${user.textingOk ? ' · texting OK' : ''}` : null],
      ['Time zone', user.timeZone],
      ['GitHub', user.githubHandle],
      ['Slack member id', user.slackMemberId],
      ['LinkedIn', user.linkedinAccount],
      ['User id', h('code', {}, user.id)],
      ['User pool', user.pool],
      ['Cognito sub', h('code', {}, user.sub)],
      ['Invited', user.invitedAt ? formatDateTime(user.invitedAt) : null],
      ['Created', formatDateTime(user.createdAt)],
      ['Last seen', user.lastSeenAt ? formatDateTime(user.lastSeenAt) : 'never'],
      ['Last changed', formatDateTime(user.updatedAt)],
    ]);
  }

  private actions(user: AdminUser): HTMLElement {
    const self = user.id === this.myId;
    const toggle = user.isActive
      ? h(
          'button',
          {
            type: 'button',
            class: 'button button-danger',
            disabled: self,
            title: self ? 'You cannot deactivate your own account' : null,
            'data-testid': 'deactivate',
            onclick: () => this.render('confirm'),
          },
          'Deactivate…',
        )
      : h(
          'button',
          { type: 'button', class: 'button button-primary', 'data-testid': 'reactivate', onclick: () => this.render('confirm') },
          'Reactivate…',
        );
    const resend =
      user.status === 'invited'
        ? poolButton(
            this.access,
            ['AdminCreateUser'],
            { class: 'button', 'data-testid': 'resend-invitation', onclick: () => void this.resend() },
            'Resend invitation',
          )
        : null;
    const reset = poolButton(
      this.access,
      ['AdminResetUserPassword'],
      { class: 'button', 'data-testid': 'reset-password', onclick: () => this.render('confirm-reset') },
      'Reset password…',
    );
    return h(
      'footer',
      { class: 'sheet-actions' },
      deniedNote(this.access, ['AdminCreateUser', 'AdminResetUserPassword', 'AdminDisableUser', 'AdminDeleteUser']),
      self ? h('span', { class: 'muted small' }, 'This is you: you cannot deactivate or erase yourself.') : null,
      resend,
      reset,
      h('button', { type: 'button', class: 'button', onclick: () => this.render('edit') }, 'Edit profile'),
      h(
        'button',
        { type: 'button', class: 'button', 'data-testid': 'refresh-from-pool', onclick: () => void this.refresh() },
        'Refresh from pool',
      ),
      h(
        'button',
        { type: 'button', class: 'button', 'data-testid': 'sign-out-everywhere', onclick: () => this.render('confirm-sign-out') },
        'Sign out everywhere…',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-danger',
          disabled: self,
          title: self ? 'You cannot erase your own account' : null,
          'data-testid': 'erase',
          onclick: () => this.render('confirm-erase'),
        },
        'Erase…',
      ),
      toggle,
    );
  }

  private confirmPanel(title: string, text: string, confirmLabel: string, danger: boolean, onConfirm: () => void): HTMLElement {
    const confirm = h(
      'button',
      { type: 'button', class: `button ${danger ? 'button-danger' : 'button-primary'}`, 'data-testid': 'confirm' },
      confirmLabel,
    );
    confirm.addEventListener('click', onConfirm);
    return h(
      'div',
      { class: `confirm ${danger ? 'confirm-danger' : ''}`, role: 'alertdialog', 'aria-labelledby': 'confirm-title' },
      h('h3', { id: 'confirm-title' }, title),
      h('p', {}, text),
      h(
        'div',
        { class: 'confirm-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => this.render('view') }, 'Cancel'),
        confirm,
      ),
    );
  }

  private signOutConfirmation(user: AdminUser): HTMLElement {
    const name = user.username ?? displayName(user);
    return this.confirmPanel(
      `Sign ${name} out everywhere?`,
      `Every token ${displayName(user)} holds now is refused (401 token_revoked) on every server within a second; their apps ask them to sign in again, which works at once.`,
      `Yes, sign ${name} out`,
      true,
      () =>
        void this.run(async (user) => {
          const result = await this.api.post<{ poolSignOut: string }>(`/api/v1/admin/users/${user.id}/sign-out-everywhere`);
          const pool = result.poolSignOut === 'done' ? '' : ' (not in the user pool: refresh tokens still work until they expire)';
          toast(`${name} was signed out everywhere${pool}.`);
          return user;
        }),
    );
  }

  private eraseConfirmation(user: AdminUser): HTMLElement {
    const name = user.username ?? displayName(user);
    return this.confirmPanel(
      `Erase ${name}?`,
      `Every personal value of ${displayName(user)} is removed from this database for good, including the values in earlier history entries, and then their account is deleted from the user pool: they cannot sign in to any app of the pool any more. This cannot be undone.${this.poolCaveat('AdminDeleteUser', 'The pool account will stay')}`,
      `Yes, erase ${name}`,
      true,
      () =>
        void this.run(async (user) => {
          const result = await this.api.delete<EraseResult>(`/api/v1/admin/users/${user.id}`);
          toast(
            result.pool.deleted
              ? `${name} was erased and deleted from the user pool.`
              : `${name} was erased here, but not in the user pool: ${result.pool.error?.message ?? ''}`,
            result.pool.deleted ? 'ok' : 'error',
          );
          this.onChanged(user);
          this.dialog.close();
          return null;
        }),
    );
  }

  private resetConfirmation(user: AdminUser): HTMLElement {
    const name = user.username ?? displayName(user);
    return this.confirmPanel(
      `Reset ${name}'s password?`,
      `Their password stops working now, and the user pool sends ${user.email ?? 'them'} a code: their next sign-in asks for it and for a new password.`,
      `Yes, reset the password`,
      true,
      () =>
        void this.run(async (user) => {
          const result = await this.api.post<PoolActionResult>(`/api/v1/admin/users/${user.id}/reset-password`);
          toast(result.message);
          return user;
        }),
    );
  }

  private async resend(): Promise<void> {
    await this.run(async (user) => {
      const result = await this.api.post<PoolActionResult>(`/api/v1/admin/users/${user.id}/invitation`);
      toast(result.message);
      return user;
    });
  }

  /** A sentence for a confirmation: what will not happen in the pool, when the server may not do it. */
  private poolCaveat(action: string, consequence: string): string {
    const reason = this.access.reason(action);
    return reason ? ` ${consequence}: ${reason}` : '';
  }

  private async refresh(): Promise<void> {
    await this.run(async (user) => {
      const fresh = await this.api.post<AdminUser>(`/api/v1/admin/users/${user.id}/refresh-from-pool`);
      toast(`${fresh.username ?? displayName(fresh)} was refreshed from the pool.`);
      this.onChanged(fresh);
      return fresh;
    });
  }

  /** Runs one action on the open user; shows the result, or the error in the sheet. */
  private async run(action: (user: AdminUser) => Promise<AdminUser | null>): Promise<void> {
    if (this.busy || !this.user) return;
    this.busy = true;
    this.dialog.setAttribute('aria-busy', 'true');
    try {
      const after = await action(this.user);
      if (after) {
        this.user = after;
        this.render('view');
      }
    } catch (error) {
      // A refused pool call greys its feature out in the view shown with the error.
      if (error instanceof ApiProblem && error.code === 'pool_admin_unavailable') await this.access.load();
      this.render('view', error instanceof ApiProblem ? error.message : String(error));
    } finally {
      this.busy = false;
      this.dialog.removeAttribute('aria-busy');
    }
  }

  private confirmation(user: AdminUser): HTMLElement {
    const name = user.username ?? displayName(user);
    const deactivating = user.isActive;
    const confirm = h(
      'button',
      { type: 'button', class: `button ${deactivating ? 'button-danger' : 'button-primary'}`, 'data-testid': 'confirm' },
      deactivating ? `Yes, deactivate ${name}` : `Yes, reactivate ${name}`,
    );
    confirm.addEventListener('click', () => {
      void this.save({ isActive: !deactivating }, deactivating ? `${name} was deactivated.` : `${name} was reactivated.`, (changed) => {
        const pool = changed.pool;
        if (!pool || pool.error === undefined) return deactivating ? ' Their pool account is disabled.' : ' Their pool account is enabled.';
        return ` Not in the user pool: ${pool.error.message}`;
      }).then((error) => {
        if (error) this.render('view', error);
      });
    });
    return h(
      'div',
      { class: `confirm ${deactivating ? 'confirm-danger' : ''}`, role: 'alertdialog', 'aria-labelledby': 'confirm-title' },
      h('h3', { id: 'confirm-title' }, deactivating ? `Deactivate ${name}?` : `Reactivate ${name}?`),
      h(
        'p',
        {},
        deactivating
          ? `${displayName(user)} will be refused on every request (403 account_disabled) within seconds, on every server, and their account is disabled in the user pool: they cannot sign in to any app of the pool. Nothing is deleted: you can reactivate them at any time.${this.poolCaveat('AdminDisableUser', 'The pool account will stay enabled')}`
          : `${displayName(user)} will be able to use the API again, and their account is enabled in the user pool again.${this.poolCaveat('AdminEnableUser', 'The pool account will stay disabled')}`,
      ),
      h(
        'div',
        { class: 'confirm-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => this.render('view') }, 'Cancel'),
        confirm,
      ),
    );
  }

  private editForm(user: AdminUser): HTMLElement {
    const inputs = new Map<string, HTMLInputElement>();
    const texting = h('input', { type: 'checkbox', name: 'textingOk', checked: user.textingOk });
    const problem = h('div', { class: 'form-problem' });
    const form = h(
      'form',
      { class: 'edit-form', novalidate: true },
      problem,
      h(
        'div',
        { class: 'form-grid' },
        TEXT_FIELDS.map((field) => {
          const input = h('input', {
            type: 'text',
            name: field,
            value: user[field] ?? '',
            placeholder: PLACEHOLDERS[field] ?? '',
            autocomplete: 'off',
          });
          inputs.set(field, input);
          return h('label', { class: 'field' }, h('span', {}, FIELD_LABELS[field]), input);
        }),
        h('label', { class: 'field field-check' }, texting, h('span', {}, FIELD_LABELS.textingOk)),
      ),
      h(
        'div',
        { class: 'confirm-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => this.render('view') }, 'Cancel'),
        h('button', { type: 'submit', class: 'button button-primary' }, 'Save changes'),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      for (const input of inputs.values()) input.removeAttribute('aria-invalid');
      const changes: Record<string, string | boolean | null> = {};
      for (const [field, input] of inputs) {
        const value = input.value.trim() || null;
        if (value !== (user[field as keyof AdminUser] ?? null)) changes[field] = value;
      }
      if (texting.checked !== user.textingOk) changes.textingOk = texting.checked;
      if (Object.keys(changes).length === 0) return this.render('view');
      void this.save(changes as UserChanges, `${user.username ?? displayName(user)} was updated.`).then((error) => {
        // The form stays as typed, and the field the API named is marked, so a correction is one field away.
        if (!error) return;
        replace(problem, errorBox(error));
        const refused = [...inputs].find(([field]) => new RegExp(`\\b${field}\\b`).test(error))?.[1];
        if (refused) {
          refused.setAttribute('aria-invalid', 'true');
          refused.focus();
        }
      });
    });
    return form;
  }

  /** Sends a change; resolves with a readable error, or null once saved and shown. `poolNote` adds what the pool did. */
  private async save(changes: UserChanges, done: string, poolNote?: (changed: AdminUserChange) => string): Promise<string | null> {
    if (this.busy || !this.user) return null;
    this.busy = true;
    this.dialog.setAttribute('aria-busy', 'true');
    try {
      const changed = await this.api.patch<AdminUserChange>(`/api/v1/admin/users/${this.user.id}`, changes);
      // A change's `pool` says what the pool did; the person's pool is the one they had.
      this.user = { ...changed, pool: this.user.pool };
      const note = poolNote?.(changed) ?? '';
      toast(done + note, changed.pool?.error ? 'error' : 'ok');
      this.onChanged(this.user);
      this.render('view');
      return null;
    } catch (error) {
      return error instanceof ApiProblem ? error.message : String(error);
    } finally {
      this.busy = false;
      this.dialog.removeAttribute('aria-busy');
    }
  }
}
