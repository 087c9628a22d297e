/** The store for React: provided once at the root, read with `usePatchbay(selector)`. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PatchbayState, PatchbayStore } from './patchbay-store';

export const StoreContext = createContext<PatchbayStore | null>(null);

export function usePatchbay<T>(selector: (state: PatchbayState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePatchbay outside <StoreContext.Provider>');
  return useStore(store, selector);
}
