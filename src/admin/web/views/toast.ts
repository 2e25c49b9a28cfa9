import { byId, h } from '../dom.js';

/** A short message in the corner that goes away by itself. */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const element = h('div', { class: `toast toast-${kind}` }, message);
  byId('toasts').append(element);
  setTimeout(() => element.classList.add('toast-leaving'), 4000);
  setTimeout(() => element.remove(), 4400);
}
