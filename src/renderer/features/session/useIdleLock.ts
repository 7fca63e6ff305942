import { useEffect, useEffectEvent } from 'react';
import { flushDrafts } from '../../lib/forms/drafts';
import { invoke } from '../../lib/ipc';

const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'mousedown', 'wheel', 'touchstart'] as const;
const HEARTBEAT_MS = 60_000;

/**
 * Locks the session after `idleMinutes` without input. While the user is active, a heartbeat
 * (at most once a minute) keeps main's own idle timer from locking a session in use.
 */
export function useIdleLock(idleMinutes: number, onLocked: () => void): void {
  const locked = useEffectEvent(onLocked);

  useEffect(() => {
    const idleMs = Math.max(1, idleMinutes) * 60_000;
    let lastActivity = Date.now();
    let lastBeat = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;

    const heartbeat = async () => {
      lastBeat = Date.now();
      try {
        const beat = await invoke('session.heartbeat');
        if (beat.locked && !done) locked();
      } catch {
        // A failed heartbeat changes nothing; the next call that matters reports the problem.
      }
    };

    const lock = async () => {
      done = true;
      try {
        await flushDrafts();
        await invoke('session.lock');
      } catch {
        // Locked or logged out already: the refresh shows whichever it is.
      }
      locked();
    };

    const schedule = () => {
      timer = setTimeout(check, Math.max(0, lastActivity + idleMs - Date.now()));
    };
    function check() {
      if (done) return;
      if (Date.now() - lastActivity >= idleMs) void lock();
      else schedule();
    }

    const onActivity = () => {
      if (done) return;
      lastActivity = Date.now();
      if (lastActivity - lastBeat >= HEARTBEAT_MS) void heartbeat();
    };

    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { capture: true, passive: true });
    schedule();
    return () => {
      done = true;
      clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true });
    };
  }, [idleMinutes]);
}
