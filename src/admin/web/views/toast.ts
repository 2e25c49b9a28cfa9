import { byId, h } from '../dom.js';

/** A short message in the corner that goes away by itself. */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const container = byId('toasts');
  const element = h('div', { class: `toast toast-${kind}` }, message);
  container.append(element);
  // A popover sits in the top layer; showing it again puts it above an open modal dialog.
  if (container.matches(':popover-open')) container.hidePopover();
  container.showPopover();
  setTimeout(() => element.classList.add('toast-leaving'), 4000);
  setTimeout(() => {
    element.remove();
    if (container.childElementCount === 0) container.hidePopover();
  }, 4400);
}
