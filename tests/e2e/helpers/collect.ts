// Responses recorded with people (face to face, by phone, from paper), sent as a collecting
// tablet sends them: a member of staff starts collecting (a collection credential), each
// response is sealed to the credential's key with WebCrypto, and posted with the
// credential. Specs that need such responses in bulk use this rather than the browser.

import { webcrypto } from 'node:crypto';

const subtle = webcrypto.subtle;

function cookieFrom(response: Response, name: string): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie (status ${response.status})`);
  return cookie.split(';')[0];
}

function csrfOf(html: string): string {
  const found = /name="csrf" value="([0-9a-f]{64})"/.exec(html);
  if (!found) throw new Error('the page has no CSRF field');
  return found[1];
}

function unescapeAttribute(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface Credential {
  id: string;
  secret: string;
  key: string;
}

/** Signs `who` in, starts collecting `survey` through `channel`, and returns a sender. */
export async function collecting(
  url: string,
  who: { name: string; password: string },
  survey: string,
  channel: 'face_to_face' | 'phone' | 'paper',
): Promise<(submission: Record<string, unknown>) => Promise<Response>> {
  const form = await fetch(`${url}/admin/sign-in`);
  const signInCookie = cookieFrom(form, 'voices-sign-in');
  const signedIn = await fetch(`${url}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInCookie },
    body: new URLSearchParams({ csrf: csrfOf(await form.text()), name: who.name, password: who.password }),
  });
  const session = cookieFrom(signedIn, 'voices-session');
  const list = await (await fetch(`${url}/admin/collect`, { headers: { cookie: session } })).text();
  const started = await fetch(`${url}/admin/collect/${survey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
    body: new URLSearchParams({ csrf: csrfOf(list), channel }),
  });
  const page = await started.text();
  const given = /data-credential="([^"]+)"/.exec(page);
  if (!given) throw new Error(`no credential was given (${started.status}): ${page.slice(0, 500)}`);
  const credential = JSON.parse(unescapeAttribute(given[1])) as Credential;
  return async (submission) => {
    const body = JSON.stringify(submission);
    return fetch(`${url}/api/surveys/${survey}/collected`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential.secret}` },
      body: await seal(credential, String(submission.submission_id), body),
    });
  };
}

const text = new TextEncoder();
const base64 = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64');

/** What collect.js does on the tablet: the same scheme, written again from its description. */
async function seal(credential: Credential, id: string, body: string): Promise<string> {
  const curve = { name: 'ECDH', namedCurve: 'P-256' };
  const theirs = await subtle.importKey('raw', Buffer.from(credential.key, 'base64'), curve, false, []);
  const mine = (await subtle.generateKey(curve, false, ['deriveBits'])) as webcrypto.CryptoKeyPair;
  const shared = await subtle.deriveBits({ name: 'ECDH', public: theirs }, mine.privateKey, 256);
  const stretch = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode('voices collect v1') },
    stretch,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const nonce = webcrypto.getRandomValues(new Uint8Array(12));
  const data = await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: text.encode(id) }, key, text.encode(body));
  return JSON.stringify({
    credential: credential.id,
    submission_id: id,
    key: base64(await subtle.exportKey('raw', mine.publicKey)),
    nonce: base64(nonce),
    data: base64(data),
  });
}
