// Passkey Desk reference server: the one script of the sign-up, sign-in and manage pages.
// Plain browser JavaScript (no build step) so the strict CSP can say script-src 'self' with nothing inline.
const TOKEN_KEY = 'passkey-desk-session';

const $ = (id) => document.getElementById(id);

function status(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.className = kind || '';
}

// --- base64url <-> ArrayBuffer (WebAuthn JSON uses base64url without padding) ---
function toB64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function fromB64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

// --- JSON API ---
class ApiFailure extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || 'INTERNAL';
    this.details = body.details || {};
  }
}
async function api(path, { method = 'GET', body, auth = false } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (auth && token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const json = await res.json();
  if (!res.ok) throw new ApiFailure(res.status, json);
  return json;
}

// --- WebAuthn ceremonies ---
function creationOptions(json) {
  return {
    ...json,
    challenge: fromB64url(json.challenge),
    user: { ...json.user, id: fromB64url(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) })),
  };
}
function requestOptions(json) {
  return {
    ...json,
    challenge: fromB64url(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) })),
  };
}
function registrationJSON(cred) {
  const r = cred.response;
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    response: {
      clientDataJSON: toB64url(r.clientDataJSON),
      attestationObject: toB64url(r.attestationObject),
      transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
    },
    clientExtensionResults: cred.getClientExtensionResults(),
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
  };
}
function assertionJSON(cred) {
  const r = cred.response;
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    response: {
      clientDataJSON: toB64url(r.clientDataJSON),
      authenticatorData: toB64url(r.authenticatorData),
      signature: toB64url(r.signature),
      userHandle: r.userHandle ? toB64url(r.userHandle) : undefined,
    },
    clientExtensionResults: cred.getClientExtensionResults(),
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
  };
}

async function register(extra = {}, auth = false) {
  const options = await api('/api/registration/options', { method: 'POST', body: extra.options || {}, auth });
  let cred;
  try {
    cred = await navigator.credentials.create({ publicKey: creationOptions(options) });
  } catch (e) {
    // excludeCredentials matched: this authenticator already holds a passkey for this account.
    if (e && e.name === 'InvalidStateError')
      throw new ApiFailure(409, {
        code: 'ALREADY_REGISTERED',
        message: 'You already have a passkey here on this authenticator.',
      });
    throw e;
  }
  return api('/api/registration/verify', {
    method: 'POST',
    body: { response: registrationJSON(cred) },
    auth,
  });
}

async function signIn(username) {
  const options = await api('/api/authentication/options', {
    method: 'POST',
    body: username ? { username } : {},
  });
  const cred = await navigator.credentials.get({ publicKey: requestOptions(options) });
  try {
    return await api('/api/authentication/verify', {
      method: 'POST',
      body: { response: assertionJSON(cred) },
    });
  } catch (e) {
    if (e instanceof ApiFailure && e.code === 'UNKNOWN_CREDENTIAL')
      await signalUnknown(options.rpId, cred.id);
    throw e;
  }
}

// --- Signal API (feature-detected; https://w3c.github.io/webauthn/#sctn-signal-methods) ---
const signals = (window.__passkeyDeskSignals = []);
async function signalUnknown(rpId, credentialId) {
  if (typeof PublicKeyCredential.signalUnknownCredential !== 'function') return;
  await PublicKeyCredential.signalUnknownCredential({ rpId, credentialId }).catch(() => undefined);
  signals.push({ kind: 'unknown', credentialId });
}
async function signalAccountState() {
  const [accepted, me] = await Promise.all([
    api('/api/account/signal/accepted-credentials', { auth: true }),
    api('/api/account/me', { auth: true }),
  ]);
  if (typeof PublicKeyCredential.signalAllAcceptedCredentials === 'function') {
    await PublicKeyCredential.signalAllAcceptedCredentials(accepted).catch(() => undefined);
    signals.push({ kind: 'accepted', ids: accepted.allAcceptedCredentialIds });
  }
  if (typeof PublicKeyCredential.signalCurrentUserDetails === 'function') {
    await PublicKeyCredential.signalCurrentUserDetails(me).catch(() => undefined);
    signals.push({ kind: 'user', name: me.name });
  }
  return me;
}

function explain(e) {
  if (e instanceof ApiFailure) return `${e.message} (${e.code})`;
  if (e && e.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.';
  return String((e && e.message) || e);
}

// --- pages ---
async function signupPage() {
  $('signup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const username = $('username').value.trim();
    const displayName = $('display-name').value.trim() || undefined;
    status('Creating your passkey…');
    register({ options: { username, displayName } })
      .then(async (result) => {
        sessionStorage.setItem(TOKEN_KEY, result.session.token);
        await signalAccountState();
        status(`Account ${result.user.name} created.`, 'ok');
        location.assign('/manage');
      })
      .catch((e) => status(explain(e), 'error'));
  });
}

// The page's answer to the app that asked for this sign-in: Allow (a code) or Deny/Cancel (error=access_denied).
// Either way the browser goes back to the app's loopback address, so it stops waiting at once.
function answerApp(path, request, auth, done) {
  for (const id of ['desktop-allow', 'desktop-deny', 'desktop-cancel']) $(id).disabled = true;
  api(path, { method: 'POST', body: { request }, auth })
    .then(({ redirectTo }) => {
      status(`${done} Returning to the app…`, 'ok');
      location.assign(redirectTo);
    })
    .catch((e) => {
      for (const id of ['desktop-allow', 'desktop-deny', 'desktop-cancel']) $(id).disabled = false;
      // The sign-in aged past the recent-sign-in limit while the page waited: sign in again, then choose again.
      if (e instanceof ApiFailure && e.code === 'RECENT_SIGN_IN_REQUIRED') {
        $('desktop-consent').classList.add('hidden');
        $('desktop-note').classList.remove('hidden');
        $('signin-controls').classList.remove('hidden');
      }
      status(explain(e), 'error');
    });
}

async function signinPage() {
  const desktop = new URLSearchParams(location.search).get('desktop');
  // Where the app listens, as the server stored it (RFC 8252 §8.6: any app on this computer can start a request,
  // so the user is shown what asks, and decides). Fetched alongside: the sign-in buttons work at once.
  let appAddress = Promise.resolve(null);
  if (desktop) {
    $('desktop-note').classList.remove('hidden');
    $('desktop-cancel').addEventListener('click', () =>
      answerApp('/api/desktop/deny', desktop, false, 'Cancelled.'),
    );
    $('desktop-allow').addEventListener('click', () =>
      answerApp('/api/desktop/approve', desktop, true, 'Allowed.'),
    );
    $('desktop-deny').addEventListener('click', () =>
      answerApp('/api/desktop/deny', desktop, false, 'Denied.'),
    );
    appAddress = api('/api/desktop/request', { method: 'POST', body: { request: desktop } }).then(
      ({ app }) => {
        $('desktop-app').textContent = ` It waits for the answer at ${app}.`;
        return app;
      },
      (e) => {
        status(explain(e), 'error');
        return null;
      },
    );
  }
  const run = (username) => {
    status('Waiting for your passkey…');
    signIn(username)
      .then(async (result) => {
        sessionStorage.setItem(TOKEN_KEY, result.token);
        const me = await signalAccountState();
        if (desktop) {
          const app = await appAddress;
          // Not approved yet: the user sees which account and which app, and chooses.
          $('desktop-note').classList.add('hidden');
          $('signin-controls').classList.add('hidden');
          $('desktop-consent-text').textContent =
            `You are signed in as ${me.displayName} (${me.name}). An app on this computer` +
            (app ? `, at ${app},` : '') +
            ' asks to be signed in to this account: it would be able to list, rename, add and revoke its passkeys.';
          $('desktop-consent').classList.remove('hidden');
          status('');
          $('desktop-allow').focus();
          return;
        }
        status(`Signed in as ${result.user.name}.`, 'ok');
        location.assign('/manage');
      })
      .catch((e) => status(explain(e), 'error'));
  };
  $('signin-button').addEventListener('click', () => run(undefined));
  $('username-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run($('username').value.trim() || undefined);
  });
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

async function renderPasskeys() {
  const { passkeys } = await api('/api/account/passkeys', { auth: true });
  const body = $('passkeys');
  body.replaceChildren();
  for (const p of passkeys) {
    const tr = document.createElement('tr');
    tr.dataset.id = p.id;
    const nameCell = document.createElement('td');
    const input = document.createElement('input');
    input.value = p.name;
    input.setAttribute('aria-label', 'Passkey name');
    input.className = 'name';
    nameCell.append(input);
    tr.append(
      nameCell,
      cell(p.providerName || 'Unknown'),
      cell(p.createdAt.slice(0, 10)),
      cell(p.lastUsedAt ? p.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'),
      cell(p.backedUp ? 'yes' : 'no'),
    );
    const actions = document.createElement('td');
    const rename = document.createElement('button');
    rename.textContent = 'Rename';
    rename.className = 'rename';
    rename.addEventListener('click', () => {
      api(`/api/account/passkeys/${encodeURIComponent(p.id)}`, {
        method: 'PATCH',
        body: { name: input.value },
        auth: true,
      })
        .then(() => status('Renamed.', 'ok'))
        .catch((e) => status(explain(e), 'error'));
    });
    const revoke = document.createElement('button');
    revoke.textContent = 'Revoke';
    revoke.className = 'revoke';
    revoke.addEventListener('click', () => {
      api(`/api/account/passkeys/${encodeURIComponent(p.id)}`, { method: 'DELETE', auth: true })
        .then(async () => {
          // This page stays signed in, even when it revoked the passkey it signed in with.
          await renderPasskeys();
          await signalAccountState();
          status('Passkey revoked. Your passkey provider has been told, where it supports that.', 'ok');
        })
        .catch((e) => status(explain(e), 'error'));
    });
    actions.append(rename, revoke);
    tr.append(actions);
    body.append(tr);
  }
}

async function managePage() {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    $('signed-out').classList.remove('hidden');
    return;
  }
  try {
    const me = await signalAccountState();
    $('who').textContent = `Signed in as ${me.displayName} (${me.name}).`;
    $('signed-in').classList.remove('hidden');
    await renderPasskeys();
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('signed-out').classList.remove('hidden');
      return;
    }
    status(explain(e), 'error');
    return;
  }
  $('add-button').addEventListener('click', () => {
    status('Creating a passkey…');
    register({}, true)
      .then(async () => {
        await renderPasskeys();
        await signalAccountState();
        status('Passkey added.', 'ok');
      })
      .catch((e) => status(explain(e), 'error'));
  });
  $('reauth-button').addEventListener('click', () => {
    api('/api/account/me', { auth: true })
      .then((me) => signIn(me.name))
      .then((result) => {
        sessionStorage.setItem(TOKEN_KEY, result.token);
        status(
          'Confirmed. You can add and revoke passkeys, and sign out everywhere else, for the next few minutes.',
          'ok',
        );
      })
      .catch((e) => status(explain(e), 'error'));
  });
  // Sign out everywhere else: every other session of the account ends (also one that revoked the passkey it
  // signed in with, which a revoke spares); this page's lives on. Asked on a line of its own first.
  const confirmLine = $('signout-others-confirm');
  $('signout-others-button').addEventListener('click', () => {
    confirmLine.classList.remove('hidden');
    $('signout-others-yes').focus();
  });
  $('signout-others-cancel').addEventListener('click', () => confirmLine.classList.add('hidden'));
  $('signout-others-yes').addEventListener('click', () => {
    confirmLine.classList.add('hidden');
    status('Signing out your other sessions…');
    api('/api/account/sessions/sign-out-others', { method: 'POST', body: {}, auth: true })
      .then(({ ended }) => status(`Ended ${ended} other session${ended === 1 ? '' : 's'}.`, 'ok'))
      .catch((e) => status(explain(e), 'error'));
  });
  $('signout-button').addEventListener('click', () => {
    api('/api/account/sign-out', { method: 'POST', body: {}, auth: true })
      .catch(() => undefined)
      .then(() => {
        sessionStorage.removeItem(TOKEN_KEY);
        location.assign('/signin');
      });
  });
}

const pages = { signup: signupPage, signin: signinPage, manage: managePage };
const page = pages[document.body.dataset.page];
if (page) page().catch((e) => status(explain(e), 'error'));
document.documentElement.dataset.ready = 'true';
