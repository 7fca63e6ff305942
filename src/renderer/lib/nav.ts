import { createContext, useContext } from 'react';
import type { Route } from '../pages';

export interface NavContextValue {
  route: Route;
  /** Opens a page; the current one is remembered for `back`. */
  navigate(route: Route): void;
  /** Opens a page in place of the current one (e.g. the record a form just saved). */
  replace(route: Route): void;
  /** Returns to the page the current one was opened from, or to its list. */
  back(): void;
}

export const NavContext = createContext<NavContextValue | null>(null);

export function useNav(): NavContextValue {
  const ctx = useContext(NavContext);
  if (!ctx) throw new Error('useNav outside NavContext');
  return ctx;
}
