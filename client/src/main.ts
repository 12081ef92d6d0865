import { Api, ApiError } from './api';
import { ChatApp } from './app';
import { byId } from './dom';
import { loadSession, saveSession, type Session } from './storage';

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

let session: Session | null = loadSession();
let app: ChatApp | null = null;

const api = new Api(
  () => session?.token ?? null,
  () => signOut('Your session has expired. Please sign in again.'),
);

const authView = byId('auth-view');
const appView = byId('app-view');
const form = byId<HTMLFormElement>('auth-form');
const username = byId<HTMLInputElement>('auth-username');
const password = byId<HTMLInputElement>('auth-password');
const authError = byId('auth-error');
const buttons = [byId<HTMLButtonElement>('auth-login'), byId<HTMLButtonElement>('auth-register')];

function showAuth(notice = ''): void {
  byId('boot').hidden = true;
  appView.hidden = true;
  authView.hidden = false;
  authError.textContent = notice;
  password.value = '';
  (username.value ? password : username).focus();
}

function startApp(current: Session): void {
  byId('boot').hidden = true;
  authView.hidden = true;
  appView.hidden = false;
  app = new ChatApp(current, api, signOut);
  void app.start();
}

function signOut(notice?: string): void {
  if (!session) return;
  // Signing out on purpose (no notice) also forgets unsent messages; an expired session keeps them
  // for the next sign-in.
  app?.stop(notice === undefined);
  app = null;
  session = null;
  saveSession(null);
  showAuth(notice);
}

function authErrorText(error: unknown, mode: 'login' | 'register'): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong username or password.';
    case 'username_taken':
      return 'This username is taken. If it is yours, sign in instead.';
    case 'rate_limited':
      return `Too many attempts. Try again in ${Math.ceil((error.retryAfterMs ?? 60_000) / 1000)} s.`;
    case 'network_error':
      return 'The server cannot be reached. Check your connection.';
    default:
      return mode === 'register' ? `Could not create the account: ${error.message}` : error.message;
  }
}

function invalid(input: HTMLInputElement, text: string): void {
  input.setAttribute('aria-invalid', 'true');
  authError.textContent = text;
  input.focus();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = event.submitter as HTMLButtonElement | null;
  const mode = submitter?.value === 'register' ? 'register' : 'login';
  void authenticate(mode);
});

async function authenticate(mode: 'login' | 'register'): Promise<void> {
  username.removeAttribute('aria-invalid');
  password.removeAttribute('aria-invalid');
  const name = username.value.trim();
  if (!USERNAME.test(name)) {
    invalid(username, 'Usernames have 3 to 32 letters, digits, _ . or -.');
    return;
  }
  if (password.value.length < 8 || password.value.length > 128) {
    invalid(password, 'Passwords have 8 to 128 characters.');
    return;
  }
  authError.textContent = '';
  for (const button of buttons) button.disabled = true;
  try {
    const answer =
      mode === 'register'
        ? await api.register(name, password.value)
        : await api.login(name, password.value);
    session = { token: answer.access_token, user: answer.user };
    saveSession(session);
    password.value = '';
    startApp(session);
  } catch (error) {
    authError.textContent = authErrorText(error, mode);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

async function boot(): Promise<void> {
  if (!session) {
    showAuth();
    return;
  }
  try {
    const user = await api.me();
    if (!session) return;
    session = { ...session, user };
    saveSession(session);
  } catch (error) {
    // A refused token signs out (in Api); an unreachable server keeps the saved session.
    if (!session || !(error instanceof ApiError) || error.code !== 'network_error') {
      if (session) signOut();
      return;
    }
  }
  startApp(session);
}

void boot();
