import { Api, ApiProblem } from '../api.js';
import { h, replace } from '../dom.js';
import type { Invitation, InviteRequest, PoolGroupList } from '../types.js';
import { errorBox, poolSelect } from './common.js';
import { deniedNote, type PoolAccessState } from './pool-access.js';
import { toast } from './toast.js';

/** The invitation form: the pool (the admin's own, or one chosen) creates the account and emails a temporary password. */
export class InviteDialog {
  private readonly dialog = h('dialog', { class: 'sheet', 'aria-labelledby': 'invite-title', 'data-testid': 'invite-dialog' });

  constructor(
    private readonly api: Api,
    private readonly access: PoolAccessState,
    private readonly pools: string[],
    private readonly ownPool: string,
    private readonly onInvited: (invitation: Invitation) => void,
  ) {
    document.body.append(this.dialog);
    this.dialog.addEventListener('close', () => replace(this.dialog));
  }

  open(): void {
    const field = (name: string, label: string, type = 'text', required = false) =>
      h('label', { class: 'field' }, h('span', {}, label), h('input', { type, name, required, autocomplete: 'off' }));
    const groups = h('div', { class: 'groups', 'data-testid': 'invite-groups' }, h('span', { class: 'muted small' }, 'Loading groups…'));
    const problem = h('div', { class: 'form-problem' });
    let pool = this.ownPool;
    const choice = poolSelect(this.pools, pool, (chosen) => {
      pool = chosen;
      void this.loadGroups(groups, pool);
    });
    const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'send-invitation' }, 'Send invitation');
    const form = h(
      'form',
      { class: 'edit-form', novalidate: true },
      deniedNote(this.access, ['AdminCreateUser']),
      problem,
      choice && h('label', { class: 'field' }, h('span', {}, 'User pool'), choice),
      h(
        'div',
        { class: 'form-grid' },
        field('email', 'Email', 'email', true),
        field('username', 'Username (optional; default the email)'),
        field('firstName', 'First name'),
        field('lastName', 'Last name'),
      ),
      h('h3', { class: 'section-title' }, 'Groups'),
      groups,
      h(
        'p',
        { class: 'muted small' },
        'The user pool emails a temporary password; the first sign-in asks for a new one. The person is listed as invited until then.',
      ),
      h(
        'div',
        { class: 'confirm-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => this.dialog.close() }, 'Cancel'),
        submit,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const text = (name: string) => (data.get(name) as string | null)?.trim() || undefined;
      const request: InviteRequest = {
        ...(this.pools.length > 1 && { pool }),
        email: text('email') ?? '',
        username: text('username'),
        firstName: text('firstName'),
        lastName: text('lastName'),
        groups: data.getAll('group') as string[],
      };
      submit.disabled = true;
      this.api
        .post<Invitation>('/api/v1/admin/users', request)
        .then((invitation) => {
          const failed = invitation.pool.error ? ` ${invitation.pool.error.message}` : '';
          toast(`Invitation sent to ${invitation.email ?? request.email}.${failed}`, failed ? 'error' : 'ok');
          this.onInvited(invitation);
          this.dialog.close();
        })
        .catch((error: unknown) => {
          submit.disabled = false;
          replace(problem, errorBox(error instanceof ApiProblem ? error.message : String(error)));
        });
    });
    replace(
      this.dialog,
      h(
        'header',
        { class: 'sheet-head' },
        h('div', { class: 'sheet-title' }, h('h2', { id: 'invite-title', tabindex: '-1', autofocus: true }, 'Invite a person')),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => this.dialog.close() }, '×'),
      ),
      h('div', { class: 'sheet-body' }, form),
    );
    this.dialog.showModal();
    void this.loadGroups(groups, pool);
  }

  private async loadGroups(slot: HTMLElement, pool: string): Promise<void> {
    try {
      const { items } = await this.api.get<PoolGroupList>('/api/v1/admin/groups', this.pools.length > 1 ? { pool } : {});
      replace(
        slot,
        items.length === 0
          ? h('span', { class: 'muted small' }, 'The pool has no groups.')
          : items.map((group) =>
              h(
                'label',
                { class: 'field-check' },
                h('input', { type: 'checkbox', name: 'group', value: group.name }),
                h('span', {}, group.admin ? `${group.name} (admins)` : group.name),
              ),
            ),
      );
    } catch (error) {
      replace(slot, h('span', { class: 'muted small' }, error instanceof ApiProblem ? error.message : String(error)));
    }
  }
}
