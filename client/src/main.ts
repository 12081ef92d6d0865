import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import { Api } from './api';
import { ChatApp, SESSION_ENDED } from './app';
import { byId } from './dom';
import { ApiError } from './errors';
import { loadSession, saveSession, type Session } from './storage';

const { username: USERNAME, password: PASSWORD } = LIMITS;

let session: Session | null = loadSession();
let app: ChatApp | null = null;

const api = new Api(
  () => session?.token ?? null,
  () => signOut(SESSION_ENDED),
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
  const { code } = error;
  if (code === ErrorCode.InvalidCredentials) return 'Wrong username or password.';
  if (code === ErrorCode.AccountDeactivated) return 'This account has been deactivated.';
  if (code === ErrorCode.UsernameTaken) {
    return 'This username is taken. If it is yours, sign in instead.';
  }
  if (code === ErrorCode.RateLimited) {
    return `Too many attempts. Try again in ${Math.ceil((error.retryAfterMs ?? 60_000) / 1000)} s.`;
  }
  if (code === 'network_error') return 'The server cannot be reached. Check your connection.';
  return mode === 'register' ? `Could not create the account: ${error.message}` : error.message;
}

function within(text: string, limits: { min: number; max: number }): boolean {
  return text.length >= limits.min && text.length <= limits.max;
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
  if (!within(name, USERNAME) || !USERNAME.pattern.test(name)) {
    invalid(
      username,
      `Usernames have ${USERNAME.min} to ${USERNAME.max} letters, digits, _ . or -.`,
    );
    return;
  }
  if (!within(password.value, PASSWORD)) {
    invalid(password, `Passwords have ${PASSWORD.min} to ${PASSWORD.max} characters.`);
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
