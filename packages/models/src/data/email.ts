/**
 * From a raw e-mail (headers + body, as in the SpamAssassin corpus) to the word tokens the spam
 * model reads: the From and Subject headers, then the body with quoted-printable soft breaks and
 * escapes decoded and HTML tags dropped.
 */

/** The readable text of a raw e-mail: "From Subject Body". Plain text passes through unchanged. */
export function emailText(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? '' : raw.slice(0, split);
  if (!/^[A-Za-z-]+:/m.test(head)) return raw; // no header block: typed text
  const header = (name: string): string => (head.match(new RegExp(`^${name}:(.*)$`, 'mi')) ?? ['', ''])[1].trim();
  const body = raw
    .slice(split)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/<[^>]*>/g, ' ');
  return `${header('From')} ${header('Subject')}\n${body}`;
}

/** Lower-case word tokens: runs of letters, runs of digits, and '$' / '!' on their own. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+|[0-9]+|[$!]/g) ?? [];
}
