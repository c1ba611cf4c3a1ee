import { createContext, useContext } from 'react';

import type { Permission, SessionView } from './access';
import type { Api } from './api';
import { translate } from './i18n/messages';
import type { Lang, MessageKey, Params } from './i18n/messages';

export interface ConsoleContext {
  lang: Lang;
  t: (key: MessageKey, params?: Params) => string;
  api: Api;
  navigate: (path: string) => void;
  /** The gateway refused the session (401): forget it, back to the sign-in page. */
  signOut: () => void;
  /** Who is signed in (null on the sign-in, invitation and password-reset pages). */
  session: SessionView | null;
  /** Whether the signed-in person's role holds a permission (hide what it does not). */
  can: (permission: Permission) => boolean;
  /** Sign out with the gateway: this browser, or every session of the person. */
  endSession: (everywhere: boolean) => Promise<void>;
  /** A session the gateway just answered (sign-in, accepted invitation, TOTP turned on). */
  setSession: (session: SessionView | null) => void;
  /** Unread notifications for the bell (null until known, or when the API does not answer). */
  unread: number | null;
  /** A count the API just answered (the list, "mark as read"), shown at once by the bell. */
  setUnread: (count: number) => void;
}

export const Ctx = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const context = useContext(Ctx);
  if (!context) throw new Error('useConsole outside the console');
  return context;
}

export function translator(lang: Lang): ConsoleContext['t'] {
  return (key, params) => translate(lang, key, params);
}
