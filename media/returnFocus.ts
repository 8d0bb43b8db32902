/**
 * The host says the panel became the active one: the focus goes to the message box, unless the user was
 * somewhere in the page already. Only when the page has the keyboard focus (now, or within a moment, as
 * VS Code focuses the webview): a page never takes it from the workbench, such as a quick pick just opened.
 */
export function focusOnReturn(input: HTMLElement): void {
  const take = (): void => {
    if (document.activeElement === document.body || !document.activeElement) input.focus();
  };
  if (document.hasFocus()) {
    take();
    return;
  }
  const onFocus = (): void => {
    clearTimeout(timer);
    take();
  };
  const timer = setTimeout(() => window.removeEventListener('focus', onFocus), 500);
  window.addEventListener('focus', onFocus, { once: true });
}
