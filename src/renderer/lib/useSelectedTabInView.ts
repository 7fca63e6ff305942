import { useLayoutEffect, useRef, type DependencyList } from 'react';

/**
 * For a tab list that scrolls sideways: scrolls it just enough that the selected tab is whole in view, whenever
 * `deps` change (the tab opened, the language, the tabs shown). Only the list's own scrollLeft moves; unlike
 * scrollIntoView, the page never scrolls vertically.
 */
export function useSelectedTabInView<T extends HTMLElement>(deps: DependencyList) {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const list = ref.current;
    const tab = list?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    if (!list || !tab) return;
    const box = list.getBoundingClientRect();
    const at = tab.getBoundingClientRect();
    if (at.left < box.left) list.scrollLeft -= box.left - at.left;
    else if (at.right > box.left + list.clientWidth) list.scrollLeft += Math.min(at.right - box.left - list.clientWidth, at.left - box.left);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}
