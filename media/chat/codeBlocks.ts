/** Code blocks in answers: a bar with the block's number and language, and actions named with the block they act on. */

/** What each code action's button is called, with the block it acts on (`n`: its number in the conversation). */
const CODE_ACTIONS = [
  { action: 'copy', label: 'Copy', name: (n: number) => `Copy code block ${n}` },
  { action: 'insert', label: 'Insert at Cursor', name: (n: number) => `Insert at Cursor: code block ${n}` },
  { action: 'replace', label: 'Replace Selection', name: (n: number) => `Replace Selection with code block ${n}` },
] as const;

export const codeActions = {
  decorate(container: HTMLElement): void {
    let number = document.querySelectorAll('.code-block').length;
    for (const pre of Array.from(container.querySelectorAll('pre'))) {
      if (pre.parentElement?.classList.contains('code-block')) continue;
      const code = pre.querySelector('code');
      if (!code) continue;
      number++;
      const wrapper = document.createElement('div');
      wrapper.className = 'code-block';
      wrapper.dataset.block = String(number);
      const bar = document.createElement('div');
      bar.className = 'code-actions';
      const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
      const caption = document.createElement('span');
      caption.className = 'language';
      caption.textContent = `Code block ${number}${language ? ` · ${language}` : ''}`;
      bar.append(caption);
      for (const { action, label, name } of CODE_ACTIONS) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = label;
        button.setAttribute('aria-label', name(number));
        button.dataset.codeAction = action;
        bar.append(button);
      }
      pre.replaceWith(wrapper);
      wrapper.append(bar, pre);
    }
  },
};

/** Says in the block's bar, for a moment, that the code is on the clipboard; and aloud, through `announce`. */
export function showCopied(button: HTMLElement, announce: (text: string) => void): void {
  const block = button.closest<HTMLElement>('.code-block');
  button.textContent = 'Copied ✓';
  button.dataset.copied = 'true';
  announce(`Copied code block ${block?.dataset.block ?? ''}`.trim());
  setTimeout(() => {
    button.textContent = 'Copy';
    delete button.dataset.copied;
  }, 2000);
}
