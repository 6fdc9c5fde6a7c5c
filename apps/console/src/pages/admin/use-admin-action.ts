import { useState } from 'react';

/**
 * An admin page's change (create, rotate, revoke, enable): one at a time (`busy` disables the buttons), its failure
 * kept for the page to show, and the page's list reloaded after a success.
 */
export function useAdminAction(reload: () => void) {
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, actionError, act };
}
