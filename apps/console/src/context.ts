import { createContext, useContext } from 'react';

import type { Api } from './api';
import { translate } from './i18n/messages';
import type { Lang, MessageKey, Params } from './i18n/messages';

export interface ConsoleContext {
  lang: Lang;
  t: (key: MessageKey, params?: Params) => string;
  api: Api;
  navigate: (path: string) => void;
  /** The gateway refused the token: back to the sign-in page. */
  signOut: () => void;
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
