/**
 * Entry of the UI: in the Electron window (its preload exposes `window.patchbay`) the IPC
 * bridge, else (the page `patchbay serve` serves) the HTTP bridge (same origin, session
 * cookie); then the store, the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHttpBridge } from './bridge/http-bridge';
import { createIpcBridge } from './bridge/ipc-bridge';
import { App } from './window/App';
import { createPatchbayStore } from './store/patchbay-store';
import { StoreContext } from './store/use-patchbay';
import './styles/tokens.css';
import './styles/app.css';

const store = createPatchbayStore(window.patchbay ? createIpcBridge(window.patchbay) : createHttpBridge());
store.getState().start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
