import { Api, ApiProblem } from '../api.js';
import { h, replace } from '../dom.js';
import type { AdminUser, PoolGroupList, UserGroups } from '../types.js';
import { errorBox } from './common.js';
import { deniedNote, poolButton, type PoolAccessState } from './pool-access.js';
import { toast } from './toast.js';

/** The person's groups in the pool, with add and remove; a change takes effect with their next token. */
export class UserGroupsSection {
  readonly element = h('div', { class: 'user-groups', 'data-testid': 'user-groups' }, h('p', { class: 'muted small' }, 'Loading groups…'));
  private groups: string[] = [];
  private all: PoolGroupList['items'] = [];
  private note: string | null = null;

  constructor(
    private readonly api: Api,
    private readonly access: PoolAccessState,
    private readonly user: AdminUser,
    private readonly self: boolean,
    private readonly offerSignOut: () => void,
  ) {}

  async load(): Promise<void> {
    // Both answers are awaited, so that every refusal is known before the reasons are shown.
    const [mine, all] = await Promise.allSettled([
      this.api.get<UserGroups>(`/api/v1/admin/users/${this.user.id}/groups`),
      this.api.get<PoolGroupList>('/api/v1/admin/groups', { pool: this.user.pool }),
    ]);
    if (mine.status === 'fulfilled' && all.status === 'fulfilled') {
      this.groups = mine.value.groups ?? [];
      this.all = all.value.items;
      return this.render();
    }
    const error: unknown = mine.status === 'rejected' ? mine.reason : (all as PromiseRejectedResult).reason;
    if (error instanceof ApiProblem && error.code === 'pool_admin_unavailable') await this.access.load();
    replace(
      this.element,
      deniedNote(this.access, ['AdminListGroupsForUser', 'ListGroups']) ??
        errorBox(error instanceof ApiProblem ? error.message : String(error)),
    );
  }

  private render(error?: string): void {
    const admin = new Set(this.all.filter((group) => group.admin).map((group) => group.name));
    const chips = this.groups.map((group) => {
      const own = this.self && admin.has(group);
      const remove = poolButton(
        this.access,
        ['AdminRemoveUserFromGroup'],
        {
          'aria-label': `Remove from ${group}`,
          'data-testid': `remove-group-${group}`,
          disabled: own,
          title: own ? 'You cannot remove yourself from an admin group' : null,
          onclick: () => void this.change('DELETE', group),
        },
        '×',
      );
      return h('span', { class: 'chip group-chip', 'data-testid': 'group-chip' }, group, remove);
    });
    const choices = this.all.filter((group) => !this.groups.includes(group.name));
    const select = h(
      'select',
      { class: 'select', 'aria-label': 'Group to add', 'data-testid': 'group-select' },
      choices.map((group) => h('option', { value: group.name }, group.admin ? `${group.name} (admins)` : group.name)),
    );
    const add = poolButton(
      this.access,
      ['AdminAddUserToGroup'],
      {
        class: 'button button-small',
        'data-testid': 'add-group',
        disabled: choices.length === 0,
        onclick: () => void this.change('PUT', select.value),
      },
      'Add to group',
    );
    const signOut = h(
      'button',
      { type: 'button', class: 'button button-small', 'data-testid': 'groups-sign-out', onclick: () => this.offerSignOut() },
      'Sign out everywhere now',
    );
    replace(
      this.element,
      error ? errorBox(error) : null,
      h(
        'div',
        { class: 'groups' },
        chips.length > 0 ? chips : h('span', { class: 'muted small' }, 'In no group.'),
        choices.length > 0 ? [select, add] : null,
      ),
      deniedNote(this.access, ['AdminAddUserToGroup', 'AdminRemoveUserFromGroup']),
      this.note ? h('div', { class: 'alert alert-warn', 'data-testid': 'groups-note' }, this.note, ' ', signOut) : null,
      h('p', { class: 'muted small' }, "A change shows in the person's next token (cognito:groups): their next sign-in or token refresh."),
    );
  }

  private async change(method: 'PUT' | 'DELETE', group: string): Promise<void> {
    if (!group) return;
    const path = `/api/v1/admin/users/${this.user.id}/groups/${encodeURIComponent(group)}`;
    try {
      const result = method === 'PUT' ? await this.api.put<UserGroups>(path) : await this.api.delete<UserGroups>(path);
      this.groups = result.groups ?? (method === 'PUT' ? [...this.groups, group] : this.groups.filter((name) => name !== group));
      this.note = result.message;
      toast(method === 'PUT' ? `Added to ${group}.` : `Removed from ${group}.`);
      this.render();
    } catch (error) {
      this.render(error instanceof ApiProblem ? error.message : String(error));
    }
  }
}
