/**
 * Entry of the web page served by `patchbay serve`: the HTTP bridge (same origin, session
 * cookie), the store, the app. The Electron window will pass its IPC bridge here instead.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHttpBridge } from './bridge/http-bridge';
import { App } from './window/App';
import { createPatchbayStore } from './store/patchbay-store';
import { StoreContext } from './store/use-patchbay';
import './styles/tokens.css';
import './styles/app.css';

const store = createPatchbayStore(createHttpBridge());
store.getState().start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
