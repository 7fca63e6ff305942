import { useRouter } from '@tanstack/react-router';
import { PAGE_PATH, pageOfPath } from '../pages';
import type { Target } from '../routes/links';

declare module '@tanstack/history' {
  interface HistoryState {
    /** Opened from another page of the workspace (not from the navbar): `back` returns there. */
    back?: boolean;
  }
}

export interface Nav {
  /** Opens a page; the current one is remembered for `back`. */
  navigate(target: Target): void;
  /** Opens a page in place of the current one (e.g. the record a form just saved). */
  replace(target: Target): void;
  /** Returns to the page the current one was opened from, or to its list. */
  back(): void;
}

export function useNav(): Nav {
  const router = useRouter();
  return {
    navigate: (target) => void router.navigate({ ...target, state: { back: true } } as never),
    replace: (target) => void router.navigate({ ...target, replace: true, state: { back: router.state.location.state.back } } as never),
    back: () => {
      const { pathname, state } = router.state.location;
      if (state.back) router.history.back();
      else void router.navigate({ to: PAGE_PATH[pageOfPath(pathname)] });
    },
  };
}
