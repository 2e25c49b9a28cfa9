import type { Api } from '../api.js';
import { h } from '../dom.js';
import type { PoolAccess } from '../types.js';

/**
 * The pool calls this server was refused lately (no AWS credentials, or an IAM action missing),
 * shared by every view: a feature that needs one is greyed out with the server's reason.
 */
export class PoolAccessState {
  private denied = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: Api) {
    api.onPoolDenied = () => void this.load();
  }

  async load(): Promise<void> {
    try {
      const access = await this.api.get<PoolAccess>('/api/v1/admin/pool-access');
      this.denied = new Map(access.denied.map(({ action, reason }) => [action, reason]));
      for (const listener of this.listeners) listener();
    } catch {
      // Without the list nothing is greyed out; each action still says what it could not do.
    }
  }

  /** The reason the first of these calls is refused, or null when the server may make them all. */
  reason(...actions: string[]): string | null {
    for (const action of actions) {
      const reason = this.denied.get(action);
      if (reason) return reason;
    }
    return null;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}

/** A button of a pool feature: disabled, with the reason as its title, while the server may not make the call. */
export function poolButton(
  access: PoolAccessState,
  actions: string[],
  attrs: Record<string, string | boolean | null | ((event: Event) => void)>,
  label: string,
): HTMLButtonElement {
  const reason = access.reason(...actions);
  return h(
    'button',
    {
      type: 'button',
      ...attrs,
      disabled: Boolean(reason) || attrs.disabled === true,
      title: reason ?? attrs.title ?? null,
      'data-denied': reason ? 'true' : null,
    },
    label,
  );
}

/** The reasons of the greyed-out features, shown once under them. */
export function deniedNote(access: PoolAccessState, actions: string[]): HTMLElement | null {
  const reasons = [...new Set(actions.map((action) => access.reason(action)).filter((reason): reason is string => reason !== null))];
  if (reasons.length === 0) return null;
  return h('div', { class: 'alert alert-warn', role: 'note', 'data-testid': 'pool-denied' }, reasons.join(' '));
}
