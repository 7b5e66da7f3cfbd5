/**
 * From a raw e-mail (headers + body, as in the SpamAssassin corpus) to the word tokens the spam
 * model reads: the From and Subject headers, then the body with quoted-printable soft breaks and
 * escapes decoded and HTML tags dropped.
 */

/** The parts of a raw e-mail the spam models read. */
export interface EmailParts {
  /** The From header ('' when absent). */
  readonly from: string;
  /** The Subject header ('' when absent). */
  readonly subject: string;
  /** The body: quoted-printable soft breaks and escapes decoded, HTML tags replaced by spaces. */
  readonly body: string;
}

/** From, Subject and decoded body of a raw e-mail; text without a header block is all body. */
export function emailParts(raw: string): EmailParts {
  return parseEmail(raw) ?? { from: '', subject: '', body: raw };
}

/** The readable text of a raw e-mail: "From Subject Body". Plain text passes through unchanged. */
export function emailText(raw: string): string {
  const parts = parseEmail(raw);
  return parts ? `${parts.from} ${parts.subject}\n${parts.body}` : raw;
}

/** The parts, or undefined for text without a header block (typed text). */
function parseEmail(raw: string): EmailParts | undefined {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? '' : raw.slice(0, split);
  if (!/^[A-Za-z-]+:/m.test(head)) return undefined;
  const header = (name: string): string => (head.match(new RegExp(`^${name}:(.*)$`, 'mi')) ?? ['', ''])[1].trim();
  const body = raw
    .slice(split)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/<[^>]*>/g, ' ');
  return { from: header('From'), subject: header('Subject'), body };
}

/** Lower-case word tokens: runs of letters, runs of digits, and '$' / '!' on their own. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+|[0-9]+|[$!]/g) ?? [];
}
