/**
 * What the demo's models say to a prompt without a directive: short, varied markdown, chosen by what the
 * prompt asks (code, a list, a greeting, a question) and, within that, by a hash of its text, so one prompt
 * always gets the same answer. Tests that need the prompt back use `[[echo]]`.
 */

type Kind = 'code' | 'list' | 'greeting' | 'question' | 'statement';

const CODE_WORDS = /\b(code|function|implement|script|snippet|regex|typescript|javascript|python|class|refactor|program|sql|bash)\b/i;
const LIST_WORDS = /\b(list|steps|ideas|ways|options|compare|pros|cons|checklist|tips)\b|^how (do|can|should) (i|we)\b/i;
const GREETING = /^(hi|hello|hey|good (morning|afternoon|evening)|yo)\b[\s!.,?]*$/i;

function kindOf(text: string): Kind {
  if (CODE_WORDS.test(text)) return 'code';
  if (LIST_WORDS.test(text)) return 'list';
  if (GREETING.test(text.trim())) return 'greeting';
  return text.trim().endsWith('?') ? 'question' : 'statement';
}

/** A small stable hash (FNV-1a), so the same prompt picks the same answer every time. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

const PYTHON = /\bpython\b/i;

interface Snippet {
  /** Words of a prompt this snippet answers. */
  about: RegExp;
  text: string;
}

const TYPESCRIPT: Snippet[] = [
  {
    about: /\b(retr\w*|backoff)\b/i,
    text: 'Something like this should work:\n\n```ts\nexport async function retry<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {\n  for (let i = 1; ; i++) {\n    try {\n      return await attempt();\n    } catch (error) {\n      if (i >= tries) throw error;\n      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** i));\n    }\n  }\n}\n```\n\nThe delay doubles after each failure; the last error is rethrown unchanged.',
  },
  {
    about: /\b(debounc\w*|throttl\w*|typing)\b/i,
    text: 'Here is a compact TypeScript version:\n\n```ts\nexport function debounce<T extends unknown[]>(fn: (...args: T) => void, ms: number): (...args: T) => void {\n  let timer: ReturnType<typeof setTimeout> | undefined;\n  return (...args: T) => {\n    clearTimeout(timer);\n    timer = setTimeout(() => fn(...args), ms);\n  };\n}\n```\n\nEach call restarts the timer, so `fn` runs once the calls stop for `ms` milliseconds.',
  },
  {
    about: /\b(group|sort|array|list|chunk)\b/i,
    text: 'A small, typed helper:\n\n```ts\nexport function groupBy<T, K extends string>(items: T[], key: (item: T) => K): Record<K, T[]> {\n  const groups = {} as Record<K, T[]>;\n  for (const item of items) (groups[key(item)] ??= []).push(item);\n  return groups;\n}\n```\n\nIt keeps the order of the items within each group.',
  },
];

const PYTHON_SNIPPETS: Snippet[] = [
  {
    about: /\b(count|words?|frequen\w*)\b/i,
    text: 'One way to do it:\n\n```python\nfrom collections import Counter\n\ndef top_words(text: str, n: int = 3) -> list[tuple[str, int]]:\n    return Counter(text.lower().split()).most_common(n)\n```\n\n`Counter.most_common` already sorts by count, so there is nothing else to do.',
  },
  {
    about: /\b(chunk|split|batch\w*|list)\b/i,
    text: 'Here is a small, self-contained version:\n\n```python\ndef chunk(items, size):\n    """Split items into lists of at most `size` elements."""\n    return [items[i:i + size] for i in range(0, len(items), size)]\n\n\nprint(chunk(list(range(7)), 3))  # [[0, 1, 2], [3, 4, 5], [6]]\n```\n\nIt keeps the order and never drops the last, shorter chunk.',
  },
];

/** The snippet about what the prompt names, else one picked by its hash. */
function codeAnswers(text: string): string[] {
  const snippets = PYTHON.test(text) ? PYTHON_SNIPPETS : TYPESCRIPT;
  const fitting = snippets.find((snippet) => snippet.about.test(text));
  return fitting ? [fitting.text] : snippets.map((snippet) => snippet.text);
}

function answersFor(kind: Kind, text: string): string[] {
  switch (kind) {
    case 'code':
      return codeAnswers(text);
    case 'list':
      return [
        'A few things to consider:\n\n1. **Start small**: get one case working end to end.\n2. **Measure** before you optimise.\n3. **Write it down**: a short note saves the next person an hour.',
        'Here are some options:\n\n- **Keep it simple**: the obvious approach is often enough.\n- **Automate** the repetitive parts.\n- **Ask for review** early, while changes are still cheap.',
      ];
    case 'greeting':
      return ['Hello! How can I help you today?', 'Hi there! What would you like to work on?'];
    case 'question':
      return [
        'Good question. In short: **it depends on your constraints**, but the simplest option that works is usually the right first step. Want me to go into detail?',
        'The short version: start with the **defaults**, measure, and only then tune. Most of the gain comes from the first change.',
        'There is no single answer, but a good rule of thumb is to *optimise for clarity first*. Want me to walk through an example?',
      ];
    default:
      return [
        'Understood. Focus on the **one change** that makes the biggest difference, then iterate.',
        'Noted! If you share a bit more context, I can give a more specific answer.',
        'That makes sense. A good next step would be to *write a small test* that captures what you expect.',
      ];
  }
}

/** The answer of a demo model to `text` (the last user message, directives removed). */
export function cannedAnswer(text: string, images: number): string {
  const trimmed = text.trim();
  const seeing = images > 0 ? `I can see ${images === 1 ? 'the image' : `the ${images} images`} you sent. ` : '';
  if (!trimmed) return `${seeing}What would you like to know?`.trim();
  const answers = answersFor(kindOf(trimmed), trimmed);
  return `${seeing}${answers[hash(trimmed) % answers.length]}`;
}

/** The kind of answer a prompt gets, for tests. */
export const answerKind = kindOf;
