import { Api, ApiProblem } from '../api.js';
import { formatDate, h, replace } from '../dom.js';
import type { AdminUser, UserPage } from '../types.js';
import { avatar, displayName, errorBox, pager, poolSelect, statusBadge } from './common.js';
import { InviteDialog } from './invite-dialog.js';
import type { PoolAccessState } from './pool-access.js';
import { UserDialog } from './user-dialog.js';

type StatusFilter = 'all' | 'active' | 'deactivated';
type Sort = 'createdAt' | 'lastSeenAt';

const NOT_SEEN_CHOICES: Array<[string, string]> = [
  ['', 'Seen any time'],
  ['7', 'Not seen for 7 days'],
  ['30', 'Not seen for 30 days'],
  ['90', 'Not seen for 90 days'],
];

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 250;

/** The users table: search, an active-state filter, a pool filter (with several pools), paging; a row opens the user's sheet. */
export class UsersPanel {
  readonly element: HTMLElement;
  private readonly results = h('div', { class: 'results' });
  private page = 1;
  private search = '';
  private status: StatusFilter = 'all';
  private notSeenForDays = '';
  /** '' for every pool the admin may see. */
  private pool = '';
  private sort: Sort = 'createdAt';
  private order: 'asc' | 'desc' = 'desc';
  private requestNumber = 0;

  readonly dialog: UserDialog;
  private readonly invite: InviteDialog;

  constructor(
    private readonly api: Api,
    private readonly access: PoolAccessState,
    me: { id: string; pool: string },
    first: UserPage,
    /** The configured pools' names; with one, nothing here mentions pools. */
    private readonly pools: string[],
  ) {
    this.dialog = new UserDialog(api, access, me.id, () => void this.load());
    this.invite = new InviteDialog(api, access, pools, me.pool, () => void this.load(1));
    this.element = h('div', { class: 'users' }, this.toolbar(), this.results);
    this.render(first);
  }

  async load(page = this.page): Promise<void> {
    this.page = page;
    // Answers can overtake each other while someone types; only the latest request may render.
    const number = ++this.requestNumber;
    this.results.setAttribute('aria-busy', 'true');
    try {
      const result = await this.api.get<UserPage>('/api/v1/admin/users', {
        page,
        pageSize: PAGE_SIZE,
        search: this.search,
        isActive: this.status === 'all' ? undefined : this.status === 'active',
        notSeenForDays: this.notSeenForDays || undefined,
        pool: this.pool || undefined,
        sort: this.sort,
        order: this.order,
      });
      if (number === this.requestNumber) this.render(result);
    } catch (error) {
      if (number === this.requestNumber) replace(this.results, errorBox(error instanceof ApiProblem ? error.message : String(error)));
    } finally {
      if (number === this.requestNumber) this.results.removeAttribute('aria-busy');
    }
  }

  private toolbar(): HTMLElement {
    const input = h('input', {
      type: 'search',
      class: 'search',
      placeholder: 'Search by name, username or email',
      'aria-label': 'Search users',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.search = input.value.trim();
        void this.load(1);
      }, SEARCH_DELAY_MS);
    });

    const filters = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show' });
    const options: Array<[StatusFilter, string]> = [
      ['all', 'All'],
      ['active', 'Active'],
      ['deactivated', 'Deactivated'],
    ];
    for (const [value, label] of options) {
      const button = h('button', { type: 'button', 'aria-pressed': String(value === this.status) }, label);
      button.addEventListener('click', () => {
        this.status = value;
        for (const other of filters.children) other.setAttribute('aria-pressed', String(other === button));
        void this.load(1);
      });
      filters.append(button);
    }
    const notSeen = h(
      'select',
      { class: 'select', 'aria-label': 'Last seen', 'data-testid': 'not-seen-filter' },
      NOT_SEEN_CHOICES.map(([value, label]) => h('option', { value }, label)),
    );
    notSeen.addEventListener('change', () => {
      this.notSeenForDays = notSeen.value;
      void this.load(1);
    });
    const pool = poolSelect(
      this.pools,
      '',
      (chosen) => {
        this.pool = chosen;
        void this.load(1);
      },
      true,
    );
    const invite = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'invite' }, 'Invite…');
    invite.addEventListener('click', () => this.invite.open());
    return h('div', { class: 'toolbar' }, input, filters, notSeen, pool, invite);
  }

  /** The empty list says which filter emptied it. */
  private emptyText(): string {
    if (this.search) return `No user matches “${this.search}”.`;
    const days = (this.notSeenForDays ? ` unseen for ${this.notSeenForDays} days` : '') + (this.pool ? ` in the pool ${this.pool}` : '');
    if (this.status === 'deactivated') return `No deactivated users${days}.`;
    if (this.status === 'active') return `No active users${days}.`;
    if (days) return `No users${days}.`;
    return 'No users yet. Users appear here when they are invited, or after their first call to the API.';
  }

  /** A column header that sorts by its column; a second click reverses the order. */
  private sortHeader(sort: Sort, label: string): HTMLElement {
    const active = this.sort === sort;
    const button = h(
      'button',
      { type: 'button', class: 'sort', 'data-testid': `sort-${sort}` },
      label,
      active ? (this.order === 'asc' ? ' ↑' : ' ↓') : '',
    );
    button.addEventListener('click', () => {
      this.order = active && this.order === 'desc' ? 'asc' : 'desc';
      this.sort = sort;
      void this.load(1);
    });
    return h('th', { 'aria-sort': active ? (this.order === 'asc' ? 'ascending' : 'descending') : 'none' }, button);
  }

  private render(result: UserPage): void {
    if (result.total === 0) {
      replace(this.results, h('p', { class: 'empty', 'data-testid': 'empty' }, this.emptyText()));
      return;
    }
    const rows = result.items.map((user) => this.row(user));
    replace(
      this.results,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-users' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'User'),
              h('th', {}, 'Email'),
              this.pools.length > 1 ? h('th', {}, 'Pool') : null,
              h('th', {}, 'Status'),
              this.sortHeader('createdAt', 'Created'),
              this.sortHeader('lastSeenAt', 'Last seen'),
              h('th', {}, h('span', { class: 'sr-only' }, 'Open')),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
      pager(result.page, result.pageSize, result.total, (page) => void this.load(page), result.totalIsEstimate),
    );
  }

  private row(user: AdminUser): HTMLElement {
    const open = () => this.dialog.open(user);
    const row = h(
      'tr',
      { class: user.isActive ? 'clickable' : 'clickable row-off', 'data-testid': 'user-row', 'data-username': user.username ?? '' },
      h(
        'td',
        {},
        h(
          'div',
          { class: 'who' },
          avatar(user),
          h(
            'div',
            {},
            h('div', { class: 'who-name' }, displayName(user)),
            h('div', { class: 'muted small' }, user.username ? `@${user.username}` : ''),
          ),
        ),
      ),
      h('td', {}, user.email ?? h('span', { class: 'muted' }, '—')),
      this.pools.length > 1 ? h('td', { 'data-testid': 'pool' }, user.pool) : null,
      h('td', { 'data-testid': 'status' }, statusBadge(user)),
      h('td', { class: 'nowrap muted' }, formatDate(user.createdAt)),
      h('td', { class: 'nowrap muted', 'data-testid': 'last-seen' }, user.lastSeenAt ? formatDate(user.lastSeenAt) : 'never'),
      h('td', { class: 'row-open' }, h('button', { type: 'button', class: 'button button-quiet button-small', onclick: open }, 'Open')),
    );
    row.addEventListener('click', (event) => {
      if (!(event.target as HTMLElement).closest('button')) open();
    });
    // On a phone the Open column is hidden (no room at 390 px): the row itself then takes the focus and Enter.
    row.tabIndex = 0;
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === row) open();
    });
    return row;
  }
}
