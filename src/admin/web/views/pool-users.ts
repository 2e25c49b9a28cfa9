import { Api, ApiProblem } from '../api.js';
import { formatDate, h, replace } from '../dom.js';
import type { AdminUser, PoolUser, PoolUserPage } from '../types.js';
import { errorBox, poolSelect } from './common.js';
import { deniedNote, type PoolAccessState } from './pool-access.js';

const PAGE_SIZE = 20;
const FILTER_DELAY_MS = 300;

const POOL_STATUS: Record<string, [string, string]> = {
  CONFIRMED: ['Confirmed', 'badge-ok'],
  FORCE_CHANGE_PASSWORD: ['Invited: must set a password', 'badge-wait'],
  RESET_REQUIRED: ['Password reset pending', 'badge-wait'],
  UNCONFIRMED: ['Unconfirmed', 'badge-wait'],
};

/** A pool's accounts (the admin's own, or one chosen), a page at a time with the pool's own tokens, each beside its row in this API. */
export class PoolUsersPanel {
  readonly element: HTMLElement;
  private readonly results = h('div', { class: 'results' });
  private filter = '';
  /** Tokens of the pages shown so far: the last one is the current page's. */
  private tokens: Array<string | undefined> = [undefined];
  private requestNumber = 0;

  constructor(
    private readonly api: Api,
    private readonly access: PoolAccessState,
    private readonly openUser: (user: AdminUser) => void,
    private readonly pools: string[],
    private pool: string,
  ) {
    const input = h('input', {
      type: 'search',
      class: 'search',
      placeholder: 'Username or email starts with…',
      'aria-label': 'Filter pool accounts',
      autocomplete: 'off',
      spellcheck: 'false',
      'data-testid': 'pool-filter',
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.filter = input.value.trim();
        this.tokens = [undefined];
        void this.load();
      }, FILTER_DELAY_MS);
    });
    const choice = poolSelect(pools, pool, (chosen) => {
      this.pool = chosen;
      this.tokens = [undefined];
      void this.load();
    });
    this.element = h(
      'div',
      { class: 'pool-users' },
      h(
        'div',
        { class: 'pool-toolbar' },
        choice,
        input,
        h(
          'span',
          { class: 'muted small' },
          'Prefix of the username, or of the email when it holds @; case-sensitive, as the pool compares.',
        ),
      ),
      this.results,
    );
  }

  async load(): Promise<void> {
    const number = ++this.requestNumber;
    this.results.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.get<PoolUserPage>('/api/v1/admin/pool-users', {
        pool: this.pools.length > 1 ? this.pool : undefined,
        filter: this.filter,
        paginationToken: this.tokens[this.tokens.length - 1],
        limit: PAGE_SIZE,
      });
      if (number === this.requestNumber) this.render(page);
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'pool_admin_unavailable') await this.access.load();
      if (number === this.requestNumber) {
        replace(
          this.results,
          deniedNote(this.access, ['ListUsers']) ?? errorBox(error instanceof ApiProblem ? error.message : String(error)),
        );
      }
    } finally {
      if (number === this.requestNumber) this.results.removeAttribute('aria-busy');
    }
  }

  private render(page: PoolUserPage): void {
    const previous = h('button', { type: 'button', class: 'button button-quiet', disabled: this.tokens.length <= 1 }, '← Previous');
    previous.addEventListener('click', () => {
      this.tokens.pop();
      void this.load();
    });
    const next = h(
      'button',
      { type: 'button', class: 'button button-quiet', disabled: !page.paginationToken, 'data-testid': 'pool-next' },
      'Next →',
    );
    next.addEventListener('click', () => {
      this.tokens.push(page.paginationToken ?? undefined);
      void this.load();
    });
    replace(
      this.results,
      page.items.length === 0
        ? h(
            'p',
            { class: 'empty', 'data-testid': 'pool-empty' },
            this.filter ? `No pool account starts with “${this.filter}”.` : 'The pool has no accounts.',
          )
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Username'),
                  h('th', {}, 'Email'),
                  h('th', {}, 'In the pool'),
                  h('th', {}, 'Created'),
                  h('th', {}, 'In this API'),
                ),
              ),
              h(
                'tbody',
                {},
                page.items.map((account) => this.row(account)),
              ),
            ),
          ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages' },
        h('span', { class: 'pager-range' }, `Page ${this.tokens.length}`),
        h('span', { class: 'pager-buttons' }, previous, next),
      ),
    );
  }

  private row(account: PoolUser): HTMLElement {
    const [label, kind] = POOL_STATUS[account.status] ?? [account.status, 'badge-info'];
    const open = account.user
      ? h(
          'button',
          { type: 'button', class: 'button button-quiet button-small', onclick: () => void this.open(account.user!.id) },
          `Open (${account.user.status})`,
        )
      : h('span', { class: 'muted small' }, 'no row yet');
    return h(
      'tr',
      { 'data-testid': 'pool-row', 'data-username': account.username },
      h('td', {}, account.username),
      h('td', {}, account.email ?? h('span', { class: 'muted' }, '—')),
      h(
        'td',
        { 'data-testid': 'pool-status' },
        h('span', { class: `badge ${kind}` }, label),
        account.enabled ? null : h('span', { class: 'badge badge-off' }, 'Disabled'),
      ),
      h('td', { class: 'nowrap muted' }, account.createdAt ? formatDate(account.createdAt) : '—'),
      h('td', {}, open),
    );
  }

  private async open(id: string): Promise<void> {
    try {
      this.openUser(await this.api.get<AdminUser>(`/api/v1/admin/users/${id}`));
    } catch (error) {
      replace(this.results, errorBox(error instanceof ApiProblem ? error.message : String(error)));
    }
  }
}
